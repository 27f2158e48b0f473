// Literals: integers, doubles, booleans, strings, nil, ranges, collections.
print(42)
// expect: 42
// ---
print(-7)
// expect: -7
// ---
print(1_000_000)
// expect: 1000000
// ---
print(0xFF, 0b101, 0o17)
// expect: 255 5 15
// ---
print(3.5)
// expect: 3.5
// ---
print(5e-6)
// expect: 5e-06
// ---
print(2.5e3)
// expect: 2500.0
// ---
print(1.0)
// expect: 1.0
// ---
print(true, false)
// expect: true false
// ---
print("hello")
// expect: hello
// ---
print("tab\tnew\\line \"quoted\"")
// expect: tab	new\line "quoted"
// ---
print("a\nb")
// expect: a
// expect: b
// ---
print("\u{1F600}".count)
// expect: 1
// ---
let s = """
    first line
      indented
    last
    """
print(s)
// expect: first line
// expect:   indented
// expect: last
// ---
let raw = #"a\nb "quoted" \d+"#
print(raw)
// expect: a\nb "quoted" \d+
// ---
let name = "x"
print(#"no \(name) here, but \#(name) here"#)
// expect: no \(name) here, but x here
// ---
print([1, 2, 3])
// expect: [1, 2, 3]
// ---
print(["a", "b"])
// expect: ["a", "b"]
// ---
print([1.5, 2.0])
// expect: [1.5, 2.0]
// ---
let empty: [Int] = []
print(empty)
// expect: []
// ---
print(["k": 1])
// expect: ["k": 1]
// ---
let emptyDict: [String: Int] = [:]
print(emptyDict)
// expect: [:]
// ---
print((1, "a"))
// expect: (1, "a")
// ---
let r = 1..<4
print(r)
// expect: 1..<4
// ---
print(1...3)
// expect: 1...3
// ---
let n: Int? = nil
print(n == nil)
// expect: true
// ---
let d: Double = 5
print(d)
// expect: 5.0
// ---
let big = 9223372036854775807
print(big == Int.max)
// expect: true
// ---
// Comments /* nested /* block */ comments */ are skipped.
/* a block
   comment */
print(1) // trailing comment
// expect: 1
// ---
let a = 1; let b = 2; print(a + b)
// expect: 3
// ---
print("")
// expect:
// ---
print("multi", "args", 3)
// expect: multi args 3
