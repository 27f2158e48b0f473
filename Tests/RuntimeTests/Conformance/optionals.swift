// Optionals: if let, guard let, ??, optional chaining, force unwrap.
let x: Int? = 5
if let v = x { print("has", v) } else { print("none") }
// expect: has 5
// ---
let x: Int? = nil
if let v = x { print("has", v) } else { print("none") }
// expect: none
// ---
let x: Int? = 2
if let x { print(x * 2) }
// expect: 4
// ---
let a: Int? = 1
let b: Int? = nil
if let a, let b { print(a, b) } else { print("not both") }
// expect: not both
// ---
let x: Int? = 3
if let v = x, v > 2 { print("big", v) }
// expect: big 3
// ---
func f(_ s: String?) -> String {
    guard let s = s else { return "nothing" }
    return "got " + s
}
print(f("a"), f(nil))
// expect: got a nothing
// ---
let n: Int? = nil
print(n ?? 10)
// expect: 10
// ---
let n: Int? = nil
let m: Int? = nil
print(n ?? m ?? 7)
// expect: 7
// ---
let s: String? = "abc"
print(s?.count as Any, s?.uppercased() ?? "")
// expect: Optional(3) ABC
// ---
let s: String? = nil
print(s?.count as Any, s?.count ?? -1)
// expect: nil -1
// ---
struct Box { var inner: [Int]? }
let b = Box(inner: [1, 2])
print(b.inner?.count ?? 0, b.inner?.first as Any)
// expect: 2 Optional(1)
// ---
let x: Int? = 4
print(x! + 1)
// expect: 5
// ---
let v = Int("12")
print(v as Any)
// expect: Optional(12)
// ---
let x: Int? = 5
print(x == 5, x != nil, x == nil)
// expect: true true false
// ---
var x: Int? = nil
x = 3
print(x as Any)
x = nil
print(x as Any)
// expect: Optional(3)
// expect: nil
// ---
let x: Int? = 4
print(x.map { $0 * 2 } as Any)
// expect: Optional(8)
// ---
let strings = ["1", "two", "3"]
let total = strings.compactMap { Int($0) }.reduce(0, +)
print(total)
// expect: 4
// ---
let d = ["k": "v"]
print(d["k"]?.uppercased() ?? "none")
// expect: V
// ---
var count: Int? = 1
count? += 1
print(count!)
// expect: 2
// ---
let x: Int?? = 5
print(x as Any)
// expect: Optional(Optional(5))
// ---
let o: Double? = 2.5
guard let value = o else { fatalError() }
print(value)
// expect: 2.5
// ---
let x: String? = "hi"
switch x {
case .some(let v): print("some", v)
case .none: print("none")
}
// expect: some hi
// ---
let arr: [Int]? = nil
print(arr?.isEmpty ?? true)
// expect: true
// ---
let x: Int? = nil
while let y = x { print(y) }
print("done")
// expect: done
