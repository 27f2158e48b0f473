// print matches Swift: description at top level, debugDescription inside collections.
print(0.1 + 0.2)
// expect: 0.30000000000000004
// ---
print(1e16)
// expect: 1e+16
// ---
print(1e15)
// expect: 1000000000000000.0
// ---
print(123456789.0)
// expect: 123456789.0
// ---
print(0.0001)
// expect: 0.0001
// ---
print(0.00001)
// expect: 1e-05
// ---
print(-0.0)
// expect: -0.0
// ---
print(Double.infinity, -Double.infinity)
// expect: inf -inf
// ---
print(Double.nan)
// expect: nan
// ---
print(1.0 / 3.0)
// expect: 0.3333333333333333
// ---
print(2.0 / 3.0)
// expect: 0.6666666666666666
// ---
print(100.0)
// expect: 100.0
// ---
print(Double(7))
// expect: 7.0
// ---
print([[1, 2], [3]])
// expect: [[1, 2], [3]]
// ---
print([["a"], []])
// expect: [["a"], []]
// ---
let xs: [Int?] = [1, nil, 3]
print(xs)
// expect: [Optional(1), nil, Optional(3)]
// ---
let ys: [String?] = ["a", nil]
print(ys)
// expect: [Optional("a"), nil]
// ---
struct Point { var x: Double; var y: Double }
print(Point(x: 3, y: 4))
// expect: Point(x: 3.0, y: 4.0)
// ---
struct Item { var name: String; var tags: [String] }
print(Item(name: "pen", tags: ["a"]))
// expect: Item(name: "pen", tags: ["a"])
// ---
struct Point { var x: Int; var y: Int }
print([Point(x: 1, y: 2)])
// expect: [main.Point(x: 1, y: 2)]
// ---
print((1, "a", 2.5))
// expect: (1, "a", 2.5)
// ---
print((x: 1, y: 2))
// expect: (x: 1, y: 2)
// ---
print(["name": "Ada"])
// expect: ["name": "Ada"]
// ---
print(["xs": [1.0, 2.5]])
// expect: ["xs": [1.0, 2.5]]
// ---
let dict = ["b": 2, "a": 1, "c": 3]
for key in dict.keys.sorted() { print(key, dict[key]!) }
// expect: a 1
// expect: b 2
// expect: c 3
// ---
print([1: "one"])
// expect: [1: "one"]
// ---
let o: Int? = 5
print(o as Any)
// expect: Optional(5)
// ---
let o: String? = "s"
print(o!)
// expect: s
// ---
let n: Int? = nil
print(n as Any)
// expect: nil
// ---
print([(1, "a"), (2, "b")])
// expect: [(1, "a"), (2, "b")]
// ---
print("a", "b", separator: ", ")
// expect: a, b
// ---
print("no newline", terminator: "")
print(" then newline")
// expect: no newline then newline
// ---
print(1, 2, 3, separator: "-", terminator: "!\n")
// expect: 1-2-3!
// ---
print()
print("after")
// expect:
// expect: after
// ---
let c: Character = "c"
print([c])
// expect: ["c"]
// ---
print(["a\nb"])
// expect: ["a\nb"]
// ---
print(["tab\t\"q\""])
// expect: ["tab\t\"q\""]
// ---
print(String(describing: [1, 2]))
// expect: [1, 2]
// ---
print(String(describing: "s"))
// expect: s
// ---
print(String(format: "%.2f", 3.14159))
// expect: 3.14
// ---
print(String(format: "%d items, %.1f%%", 3, 99.5))
// expect: 3 items, 99.5%
// ---
print(String(format: "%5.1f|%-4d|", 2.25, 7))
// expect:   2.2|7   |
// ---
print(1..<3, 0...2)
// expect: 1..<3 0...2
// ---
print(Int.max, Int.min)
// expect: 9223372036854775807 -9223372036854775808
// ---
print(3.0 * 1e300 * 1e300)
// expect: inf
// ---
print(0.1 * 3)
// expect: 0.30000000000000004
// ---
print(1e-7, 12345.678)
// expect: 1e-07 12345.678
// ---
print(Double.pi)
// expect: 3.141592653589793
