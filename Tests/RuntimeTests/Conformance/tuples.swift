// Tuples.
let t = (1, "a")
print(t.0, t.1)
// expect: 1 a
// ---
let (a, b) = (3, 4)
print(a + b)
// expect: 7
// ---
let p = (x: 1.5, y: 2.5)
print(p.x, p.y, p.0)
// expect: 1.5 2.5 1.5
// ---
var t = (1, 2)
t.0 = 10
print(t)
// expect: (10, 2)
// ---
func minMax(_ xs: [Int]) -> (min: Int, max: Int) {
    return (xs.min()!, xs.max()!)
}
let r = minMax([3, 9, 1])
print(r.min, r.max)
// expect: 1 9
// ---
var a = 1
var b = 2
(a, b) = (b, a)
print(a, b)
// expect: 2 1
// ---
let (q, _) = (5, 6)
print(q)
// expect: 5
// ---
print((1, 2) == (1, 2), (1, 2) < (1, 3))
// expect: true true
// ---
let nested = ((1, 2), "x")
print(nested.0.1, nested)
// expect: 2 ((1, 2), "x")
// ---
let t = ("s", [1, 2], 3.0)
print(t)
// expect: ("s", [1, 2], 3.0)
// ---
let pairs = [(1, "one"), (2, "two")]
for (n, word) in pairs { print(n, word) }
// expect: 1 one
// expect: 2 two
// ---
let o: (Int, Int)? = (1, 2)
print(o!.1)
// expect: 2
