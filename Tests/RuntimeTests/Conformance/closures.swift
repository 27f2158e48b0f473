// Closures: explicit parameters, $0, trailing closures, capture.
let square = { (x: Int) -> Int in x * x }
print(square(7))
// expect: 49
// ---
let add: (Int, Int) -> Int = { a, b in a + b }
print(add(2, 3))
// expect: 5
// ---
print([1, 2, 3].map { $0 + 1 })
// expect: [2, 3, 4]
// ---
print([3, 1, 2].sorted { a, b in a > b })
// expect: [3, 2, 1]
// ---
let greet = { print("hi") }
greet()
// expect: hi
// ---
var total = 0
let addToTotal = { (x: Int) in total += x }
addToTotal(5)
addToTotal(6)
print(total)
// expect: 11
// ---
func repeatTimes(_ n: Int, _ body: (Int) -> Void) {
    for i in 0..<n { body(i) }
}
repeatTimes(3) { i in print("iteration", i) }
// expect: iteration 0
// expect: iteration 1
// expect: iteration 2
// ---
func transform(_ x: Int, using f: (Int) -> Int) -> Int { f(x) }
print(transform(4) { $0 * 3 })
// expect: 12
// ---
let fs = [{ (x: Int) in x + 1 }, { (x: Int) in x * 10 }]
print(fs.map { $0(2) })
// expect: [3, 20]
// ---
let pairs = [(1, "b"), (2, "a")]
print(pairs.map { $0.1 })
// expect: ["b", "a"]
// ---
var x = 1
let read = { x }
x = 2
print(read())
// expect: 2
// ---
let compose = { (f: @escaping (Int) -> Int, g: @escaping (Int) -> Int) in { (x: Int) in g(f(x)) } }
let h = compose({ $0 + 1 }, { $0 * 2 })
print(h(3))
// expect: 8
// ---
let words = ["kiwi", "fig", "banana"]
let lengths = words.map { word -> Int in
    let n = word.count
    return n
}
print(lengths)
// expect: [4, 3, 6]
// ---
let isShort: (String) -> Bool = { $0.count < 4 }
print(["hello", "hi", "yo!"].filter(isShort))
// expect: ["hi", "yo!"]
// ---
let rewards: [(String) -> Double] = [
    { $0.contains("<answer>") ? 1.0 : 0.0 },
    { Double($0.count) / 10.0 },
]
print(rewards.map { $0("<answer>") })
// expect: [1.0, 0.8]
// ---
func makeCounter() -> () -> Int {
    var count = 0
    return {
        count += 1
        return count
    }
}
let c1 = makeCounter()
let c2 = makeCounter()
_ = c1()
print(c1(), c2())
// expect: 2 1
// ---
print([1, 2, 3].reduce(into: 0) { $0 += $1 })
// expect: 6
// ---
let counts = ["a", "b", "a"].reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
print(counts["a"]!, counts["b"]!)
// expect: 2 1
// ---
let f = { (a: Int, b: Int) in a - b }
print(f(10, 3))
// expect: 7
// ---
let sorted = ["b", "c", "a"].sorted(by: <)
print(sorted)
// expect: ["a", "b", "c"]
// ---
[1, 2].forEach { print($0) }
// expect: 1
// expect: 2
// ---
let result = [1, 2, 3, 4, 5]
    .filter { $0 > 1 }
    .map { $0 * 10 }
print(result)
// expect: [20, 30, 40, 50]
