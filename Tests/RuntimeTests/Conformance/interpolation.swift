// String interpolation uses `description` of the value.
let x = 5
print("x = \(x)")
// expect: x = 5
// ---
print("sum: \(1 + 2), product: \(2 * 3)")
// expect: sum: 3, product: 6
// ---
let d = 0.1 + 0.2
print("d=\(d)")
// expect: d=0.30000000000000004
// ---
let name = "Ada"
print("Hi \(name)!")
// expect: Hi Ada!
// ---
print("list: \(["a", "b"])")
// expect: list: ["a", "b"]
// ---
let o: Int? = 3
print("opt: \(o as Any)")
// expect: opt: Optional(3)
// ---
print("nested \("inner \(1 + 1)")")
// expect: nested inner 2
// ---
struct P { var x: Int; var y: Int }
print("p is \(P(x: 1, y: 2))")
// expect: p is P(x: 1, y: 2)
// ---
print("tuple \((1, 2.5))")
// expect: tuple (1, 2.5)
// ---
let items = [1, 2, 3]
print("count \(items.count), first \(items[0])")
// expect: count 3, first 1
// ---
let m = """
    value: \(40 + 2)
    done
    """
print(m)
// expect: value: 42
// expect: done
// ---
print("\(true) and \(false)")
// expect: true and false
// ---
let f = { (a: Int) -> Int in a * 10 }
print("call: \(f(4))")
// expect: call: 40
// ---
print("escaped \\(x) stays")
// expect: escaped \(x) stays
// ---
print("\(1)\(2)\(3)")
// expect: 123
// ---
let c: Character = "z"
print("char \(c)")
// expect: char z
// ---
print("dict \(["k": "v"])")
// expect: dict ["k": "v"]
// ---
let v = 2.0
print("\(v * 2)")
// expect: 4.0
// ---
let s = "a\(1 > 0 ? "yes" : "no")b"
print(s)
// expect: ayesb
