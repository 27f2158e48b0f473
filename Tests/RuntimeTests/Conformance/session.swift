// Multi-cell snippets: bindings persist, later declarations shadow, failing cells keep bindings.
let x = 41
// cell
print(x + 1)
// expect: 42
// ---
// ours
let x = 1
// cell
let x = "shadowed"
print(x)
// expect: shadowed
// ---
// ours
func f() -> Int { 1 }
// cell
func f() -> Int { 2 }
print(f())
// expect: 2
// ---
// ours
struct P { var a: Int }
// cell
struct P { var a: Int; var b: Int }
print(P(a: 1, b: 2))
// expect: P(a: 1, b: 2)
// ---
// ours
var counter = 0
counter += 1
// cell
let y = 10
print(undefined)
// expect-error: cannot find 'undefined' in scope
// cell
print(counter, y)
// expect: 1 10
// ---
// ours
var log: [String] = []
// cell
log.append("a")
let q: Int? = nil
log.append("b")
print(q!)
// expect-error: found nil
// cell
print(log)
// expect: ["a", "b"]
// ---
// ours
let a = 2
// cell
a * 21
// expect-result: 42
// ---
// ours
"abc"
// expect-result: "abc"
// ---
// ours
[1.0, 2.5]
// expect-result: [1.0, 2.5]
// ---
// ours
let s: String? = "x"
s
// expect-result: Optional("x")
// ---
// ours
let v = 5
// expect-no-result
// ---
// ours
print("only output")
// expect: only output
// expect-no-result
// ---
// ours
struct Point { var x: Double; var y: Double }
Point(x: 1, y: 2)
// expect-result: Point(x: 1.0, y: 2.0)
// ---
// ours
(1, "a")
// expect-result: (1, "a")
// ---
// ours
import Foundation
import Darwin
1 + 1
// expect-result: 2
// ---
func twice(_ x: Int) -> Int { x * 2 }
// cell
var total = 0
// cell
total += twice(3)
// cell
total += twice(4)
print(total)
// expect: 14
// ---
// ours
func score() -> Double { 0.5 }
let s1 = score()
// cell
func score() -> Double { 1.0 }
print(s1, score())
// expect: 0.5 1.0
// ---
// ours
enum Mode { case a, b }
// cell
enum Mode { case c }
print(Mode.c)
// expect: c
// ---
// ours
var xs = [1]
// cell
xs.append(2)
// cell
xs.append(3)
xs
// expect-result: [1, 2, 3]
// ---
// ours
let nums = [3, 1, 2]
// cell
nums.sorted()
// expect-result: [1, 2, 3]
// ---
// ours
let learningRate = 5e-6
// cell
let learningRate = 1e-5
// cell
print(learningRate)
// expect: 1e-05
// ---
// ours
1 / 0
// expect-error: division by zero
// cell
"recovered"
// expect-result: "recovered"
// ---
// ours
func f(_ n: Int) -> Int { n <= 0 ? 0 : f(n - 1) }
f(-1)
// expect-result: 0
