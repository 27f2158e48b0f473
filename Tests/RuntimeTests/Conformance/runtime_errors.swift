// Runtime errors: typed, with the cell's line and column. Output before the error is kept.
let x: Int? = nil
print(x!)
// expect-error: found nil
// expect-error-kind: RuntimeError
// expect-error-at: 3:8
// ---
let d = ["a": 1]
let v = d["b"]!
// expect-error: found nil
// ---
let xs = [1, 2, 3]
print("before")
print(xs[3])
// expect: before
// expect-error: index out of range
// expect-error-kind: RuntimeError
// expect-error-at: 3:7
// ---
var xs: [Int] = []
xs[0] = 1
// expect-error: index out of range
// ---
let xs = [1]
print(xs[-1])
// expect-error: index out of range
// ---
var xs: [Int] = []
xs.removeLast()
// expect-error: empty
// ---
let a = 10
let b = 0
print(a / b)
// expect-error: division by zero
// expect-error-kind: RuntimeError
// expect-error-at: 3:9
// ---
let a = 10
let b = 0
print(a % b)
// expect-error: division by zero
// ---
print(1.0 / 0)
// expect: inf
// ---
func greet(name: String) -> String { "hi \(name)" }
print(greet(person: "x"))
// expect-error: argument label
// expect-error-kind: RuntimeError
// expect-error-at: 2:7
// ---
func add(_ a: Int, _ b: Int) -> Int { a + b }
print(add(1))
// expect-error: argument
// ---
func add(_ a: Int, _ b: Int) -> Int { a + b }
print(add(a: 1, b: 2))
// expect-error: argument label
// ---
let x = 5
x()
// expect-error: non-function
// expect-error-kind: RuntimeError
// expect-error-at: 2:1
// ---
let s = "text"
print(s.nosuchMember)
// expect-error: has no member 'nosuchMember'
// expect-error-kind: RuntimeError
// expect-error-at: 2:9
// ---
struct P { var x: Int }
let p = P(x: 1)
print(p.y)
// expect-error: has no member 'y'
// ---
let xs = [1]
xs.frobnicate()
// expect-error: has no member 'frobnicate'
// ---
let x: Int = "hello"
// expect-error: cannot convert
// expect-error-kind: RuntimeError
// expect-error-at: 1:14
// ---
func f(_ x: Int) -> Int { x }
print(f("no"))
// expect-error: cannot convert
// ---
func f() -> Int { return "s" }
print(f())
// expect-error: cannot convert
// ---
print(undefinedName)
// expect-error: cannot find 'undefinedName' in scope
// ---
enum E: Error { case boom }
print("start")
throw E.boom
// expect: start
// expect-error: boom
// expect-error-kind: RuntimeError
// ---
enum E: Error { case bad(String) }
func f() throws { throw E.bad("detail") }
try f()
// expect-error: detail
// ---
func forever(_ n: Int) -> Int { forever(n + 1) + 1 }
print(forever(0))
// expect-error: recursion
// expect-error-kind: RuntimeError
// ---
func deep(_ n: Int) -> Int { n == 0 ? 0 : 1 + deep(n - 1) }
print(deep(10_000_000))
// expect-error: recursion
// ---
let big = Int.max
print(big + 1)
// expect-error: overflow
// ---
print(Int.min * -1)
// expect-error: overflow
// ---
let s = "abc"
let n = s + 1
// expect-error: cannot
// ---
let x = 1
x = 2
// expect-error: let
// ---
let xs = [1, 2]
xs.append(3)
// expect-error: let
// ---
struct P { var x: Int }
let p = P(x: 1)
p.x = 2
// expect-error: let
// ---
struct Counter {
    var n = 0
    func bump() { n += 1 }
}
var c = Counter()
c.bump()
// expect-error: mutating
// ---
let d: [String: Int] = [:]
print(d["k"]! + 1)
// expect-error: found nil
// ---
print(Int("x")!)
// expect-error: found nil
// ---
let arr = [1, 2, 3]
print(arr[1...5])
// expect-error: out of
// ---
var x = 0
print("ok")
x = x / x
print("never")
// expect: ok
// expect-error: division by zero
// ---
print(Array(repeating: 0, count: -1))
// expect-error: count
// ---
assert(1 + 1 == 3, "math is broken")
// expect-error: math is broken
// ---
precondition(false, "precondition message")
// expect-error: precondition message
// ---
fatalError("fatal message")
// expect-error: fatal message
// ---
let r = 5...1
// expect-error: bound
// ---
print("abc".prefix(-1))
// expect-error: negative
// ---
func f(_ g: (Int) -> Int) -> Int { g(1) }
print(f(5))
// expect-error: cannot convert
// ---
let xs = [3, 1]
print(xs.sorted(by: 5))
// expect-error: closure
// ---
let m = [1, 2].map { $0 + "a" }
// expect-error: cannot
// ---
let t = (1, 2)
print(t.5)
// expect-error: has no member
