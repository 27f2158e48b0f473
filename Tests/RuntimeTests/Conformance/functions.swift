// Functions: labels, `_`, defaults, return types, recursion.
func greet(name: String) -> String {
    return "Hello, \(name)"
}
print(greet(name: "Ada"))
// expect: Hello, Ada
// ---
func add(_ a: Int, _ b: Int) -> Int { a + b }
print(add(2, 3))
// expect: 5
// ---
func move(from a: String, to b: String) -> String { "\(a)->\(b)" }
print(move(from: "x", to: "y"))
// expect: x->y
// ---
func power(_ base: Int, exponent: Int = 2) -> Int {
    var result = 1
    for _ in 0..<exponent { result *= base }
    return result
}
print(power(3), power(2, exponent: 10))
// expect: 9 1024
// ---
func fib(_ n: Int) -> Int {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}
print(fib(20))
// expect: 6765
// ---
func fact(_ n: Int) -> Int { n <= 1 ? 1 : n * fact(n - 1) }
print(fact(10))
// expect: 3628800
// ---
func nothing() { print("side effect") }
nothing()
// expect: side effect
// ---
func early(_ x: Int) -> String {
    if x > 0 { return "positive" }
    return "non-positive"
}
print(early(1), early(-1))
// expect: positive non-positive
// ---
func scale(_ x: Double) -> Double { x * 2 }
print(scale(3))
// expect: 6.0
// ---
func stats(_ xs: [Double]) -> (mean: Double, count: Int) {
    let total = xs.reduce(0, +)
    return (total / Double(xs.count), xs.count)
}
let s = stats([1, 2, 3, 4])
print(s.mean, s.count)
// expect: 2.5 4
// ---
func isEven(_ n: Int) -> Bool { n == 0 ? true : isOdd(n - 1) }
func isOdd(_ n: Int) -> Bool { n == 0 ? false : isEven(n - 1) }
print(isEven(10), isOdd(7))
// expect: true true
// ---
func apply(_ f: (Int) -> Int, to x: Int) -> Int { f(x) }
func double(_ x: Int) -> Int { x * 2 }
print(apply(double, to: 21))
// expect: 42
// ---
func outer() -> Int {
    func inner(_ x: Int) -> Int { x + 1 }
    return inner(41)
}
print(outer())
// expect: 42
// ---
func swapped(_ a: inout Int, _ b: inout Int) {
    let t = a
    a = b
    b = t
}
var x = 1
var y = 2
swapped(&x, &y)
print(x, y)
// expect: 2 1
// ---
func total(_ xs: Int...) -> Int { xs.reduce(0, +) }
print(total(1, 2, 3), total())
// expect: 6 0
// ---
func describe(_ x: Int, label: String = "n", suffix: String = "") -> String { "\(label)=\(x)\(suffix)" }
print(describe(1), describe(2, suffix: "!"), describe(3, label: "m", suffix: "?"))
// expect: n=1 n=2! m=3?
// ---
func counter() -> () -> Int {
    var n = 0
    return { n += 1; return n }
}
let next = counter()
_ = next()
_ = next()
print(next())
// expect: 3
// ---
func makeAdder(_ k: Int) -> (Int) -> Int { { $0 + k } }
let add5 = makeAdder(5)
print(add5(10))
// expect: 15
// ---
func sumTo(_ n: Int) -> Int {
    var s = 0
    var i = 1
    while i <= n { s += i; i += 1 }
    return s
}
print(sumTo(100))
// expect: 5050
// ---
func modify(_ xs: [Int]) -> [Int] {
    var copy = xs
    copy.append(99)
    return copy
}
let original = [1]
let changed = modify(original)
print(original, changed)
// expect: [1] [1, 99]
// ---
func ackermann(_ m: Int, _ n: Int) -> Int {
    if m == 0 { return n + 1 }
    if n == 0 { return ackermann(m - 1, 1) }
    return ackermann(m - 1, ackermann(m, n - 1))
}
print(ackermann(2, 3))
// expect: 9
// ---
func depth(_ n: Int) -> Int { n == 0 ? 0 : 1 + depth(n - 1) }
print(depth(1000))
// expect: 1000
// ---
func tagReward(_ completion: String) -> Double {
    let hasReasoning = completion.contains("<reasoning>") && completion.contains("</reasoning>")
    let hasAnswer = completion.contains("<answer>") && completion.contains("</answer>")
    return (hasReasoning ? 0.5 : 0.0) + (hasAnswer ? 0.5 : 0.0)
}
print(tagReward("<reasoning>r</reasoning><answer>a</answer>"), tagReward("<answer>a</answer>"), tagReward(""))
// expect: 1.0 0.5 0.0
// ---
func f(x: Int) -> Int { x }
func f(y: Int) -> Int { y * 100 }
print(f(x: 1), f(y: 1))
// expect: 1 100
