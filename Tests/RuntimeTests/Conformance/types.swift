// Type annotations, `is`, `as?`, `as`, type conversion by annotation.
let x: Int = 3
let y: Double = 3
let z: String = "s"
print(x, y, z)
// expect: 3 3.0 s
// ---
let values: [Any] = [1, "two", 3.0, true]
for v in values {
    if v is Int { print("Int") }
    else if v is String { print("String") }
    else if v is Double { print("Double") }
    else { print("other") }
}
// expect: Int
// expect: String
// expect: Double
// expect: other
// ---
let v: Any = "hello"
if let s = v as? String { print(s.count) }
print((v as? Int) as Any)
// expect: 5
// expect: nil
// ---
let items: [Any] = [1, 2.5, "x"]
let ints = items.compactMap { $0 as? Int }
print(ints)
// expect: [1]
// ---
let d: Any = ["a": 1]
if let dict = d as? [String: Int] { print(dict["a"]!) }
// expect: 1
// ---
let a: Any = [1, 2]
print(a is [Int], a is [String])
// expect: true false
// ---
let x = 5 as Double
print(x)
// expect: 5.0
// ---
let xs: [Double] = [1, 2, 3]
print(xs)
// expect: [1.0, 2.0, 3.0]
// ---
let d: [String: Double] = ["a": 1]
print(d)
// expect: ["a": 1.0]
// ---
let o: Double? = 2
print(o as Any)
// expect: Optional(2.0)
// ---
func half(_ x: Double) -> Double { x / 2 }
print(half(5))
// expect: 2.5
// ---
struct S { var v: Double }
print(S(v: 1))
// expect: S(v: 1.0)
// ---
func f() -> Double { return 3 }
print(f())
// expect: 3.0
// ---
let t: (Int, Double) = (1, 2)
print(t)
// expect: (1, 2.0)
// ---
var total: Double = 0
total += 1
print(total)
// expect: 1.0
// ---
let any: Any = 3.5
switch any {
case let i as Int: print("int", i)
case let d as Double: print("double", d)
default: print("?")
}
// expect: double 3.5
// ---
print(type(of: 1), type(of: "a"), type(of: 1.5), type(of: [1]))
// expect: Int String Double Array<Int>
