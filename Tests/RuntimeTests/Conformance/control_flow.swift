// if/else, guard, loops, break/continue.
let x = 7
if x > 5 { print("big") } else { print("small") }
// expect: big
// ---
let x = 0
if x > 0 { print("pos") } else if x < 0 { print("neg") } else { print("zero") }
// expect: zero
// ---
for i in 0..<3 { print(i) }
// expect: 0
// expect: 1
// expect: 2
// ---
for i in 1...3 { print(i * i, terminator: " ") }
print()
// expect: 1 4 9 
// ---
for i in stride(from: 0, to: 10, by: 3) { print(i) }
// expect: 0
// expect: 3
// expect: 6
// expect: 9
// ---
for x in stride(from: 1.0, through: 2.0, by: 0.5) { print(x) }
// expect: 1.0
// expect: 1.5
// expect: 2.0
// ---
for i in (0..<3).reversed() { print(i) }
// expect: 2
// expect: 1
// expect: 0
// ---
var i = 0
while i < 3 { i += 1 }
print(i)
// expect: 3
// ---
var n = 10
repeat { n -= 3 } while n > 0
print(n)
// expect: -2
// ---
var n = 100
repeat { n += 1 } while false
print(n)
// expect: 101
// ---
for i in 0..<10 {
    if i == 4 { break }
    if i % 2 == 1 { continue }
    print(i)
}
// expect: 0
// expect: 2
// ---
outer: for i in 0..<3 {
    for j in 0..<3 {
        if j == 2 { continue outer }
        if i == 2 { break outer }
        print(i, j)
    }
}
// expect: 0 0
// expect: 0 1
// expect: 1 0
// expect: 1 1
// ---
func check(_ v: Int) -> String {
    guard v >= 0 else { return "negative" }
    guard v != 0 else { return "zero" }
    return "positive"
}
print(check(-1), check(0), check(5))
// expect: negative zero positive
// ---
for _ in 0..<2 { print("x") }
// expect: x
// expect: x
// ---
var evens: [Int] = []
for i in 1...10 where i % 2 == 0 { evens.append(i) }
print(evens)
// expect: [2, 4, 6, 8, 10]
// ---
let score = 85
let grade = score >= 90 ? "A" : score >= 80 ? "B" : "C"
print(grade)
// expect: B
// ---
print(true && false, true || false, !true)
// expect: false true false
// ---
func sideEffect() -> Bool { print("evaluated"); return true }
let r = false && sideEffect()
let q = true || sideEffect()
print(r, q)
// expect: false true
// ---
var total = 0
for row in [[1, 2], [3, 4]] {
    for v in row { total += v }
}
print(total)
// expect: 10
// ---
var x = 10
x -= 3
x *= 2
x /= 4
x %= 2
print(x)
// expect: 1
// ---
print(7 / 2, 7 % 3, -7 / 2, -7 % 3)
// expect: 3 1 -3 -1
// ---
print(7.0 / 2, 2 + 3 * 4, (2 + 3) * 4)
// expect: 3.5 14 20
// ---
print(1 < 2, 2 <= 2, 3 > 4, 3 >= 4, 1 == 1, 1 != 1)
// expect: true true false false true false
// ---
let x = 5
let y = x > 3 ? x * 2 : x
print(y)
// expect: 10
// ---
var i = 0
while true {
    i += 1
    if i >= 5 { break }
}
print(i)
// expect: 5
// ---
var found = -1
for (index, value) in [4, 8, 15].enumerated() where value > 5 {
    found = index
    break
}
print(found)
// expect: 1
// ---
let values = [3, -1, 4]
var positives = 0
for v in values {
    guard v > 0 else { continue }
    positives += 1
}
print(positives)
// expect: 2
// ---
var s = 0
for i in 0...100_000 { s += i }
print(s)
// expect: 5000050000
// ---
if case 1...5 = 3 { print("in range") }
// expect: in range
// ---
let a = 3, b = 4
print(a * b)
// expect: 12
// ---
let three = 3
print(-(-three), 2 - -1, -three)
// expect: 3 3 -3
// ---
print(5 & 3, 5 | 3, 5 ^ 3, 1 << 4, 256 >> 2, ~0)
// expect: 1 7 6 16 64 -1
