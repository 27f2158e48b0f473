// Array members.
let xs = [3, 1, 2]
print(xs.count, xs.isEmpty, [Int]().isEmpty)
// expect: 3 false true
// ---
var xs = [1, 2]
xs.append(3)
xs.append(contentsOf: [4, 5])
print(xs)
// expect: [1, 2, 3, 4, 5]
// ---
var xs = [1, 3]
xs.insert(2, at: 1)
xs.insert(0, at: 0)
print(xs)
// expect: [0, 1, 2, 3]
// ---
var xs = [10, 20, 30]
let removed = xs.remove(at: 1)
print(removed, xs)
// expect: 20 [10, 30]
// ---
var xs = [1, 2, 3]
let last = xs.removeLast()
let first = xs.removeFirst()
print(last, first, xs)
// expect: 3 1 [2]
// ---
var xs = [1, 2, 3]
xs.removeAll()
print(xs, xs.count)
// expect: [] 0
// ---
print([1, 2, 3].map { $0 * 2 })
// expect: [2, 4, 6]
// ---
print(["1", "x", "3"].compactMap { Int($0) })
// expect: [1, 3]
// ---
print([[1, 2], [3]].flatMap { $0 })
// expect: [1, 2, 3]
// ---
print([1, 2, 3, 4].filter { $0 % 2 == 0 })
// expect: [2, 4]
// ---
print([1, 2, 3].reduce(0, +))
// expect: 6
// ---
print([1.5, 2.5].reduce(0.0) { $0 + $1 })
// expect: 4.0
// ---
let scores = [0.5, 1.0, 0.25]
print(scores.reduce(0) { $0 + $1 } / Double(scores.count))
// expect: 0.5833333333333334
// ---
print([3, 1, 2].sorted())
// expect: [1, 2, 3]
// ---
print([3, 1, 2].sorted(by: >))
// expect: [3, 2, 1]
// ---
print(["bb", "a", "ccc"].sorted { $0.count < $1.count })
// expect: ["a", "bb", "ccc"]
// ---
print(["pear", "apple", "fig"].sorted())
// expect: ["apple", "fig", "pear"]
// ---
let xs = [5, 6]
print(xs.first!, xs.last!, [Int]().first == nil)
// expect: 5 6 true
// ---
print([1, 4, 6].first(where: { $0 > 3 })!)
// expect: 4
// ---
print([4, 2, 8].min()!, [4, 2, 8].max()!)
// expect: 2 8
// ---
print([Int]().max() == nil)
// expect: true
// ---
print([1, 2].contains(2), [1, 2].contains(5))
// expect: true false
// ---
print([1, 2, 3].contains(where: { $0 > 2 }), [1, 2, 3].allSatisfy { $0 > 0 })
// expect: true true
// ---
for (i, x) in ["a", "b"].enumerated() { print(i, x) }
// expect: 0 a
// expect: 1 b
// ---
for (a, b) in zip([1, 2, 3], ["x", "y"]) { print(a, b) }
// expect: 1 x
// expect: 2 y
// ---
print(Array([1, 2, 3].reversed()))
// expect: [3, 2, 1]
// ---
for i in [7, 8, 9].indices { print(i) }
// expect: 0
// expect: 1
// expect: 2
// ---
print(["a", "b", "c"].firstIndex(of: "b")!, ["a"].firstIndex(of: "z") == nil)
// expect: 1 true
// ---
print(Array([1, 2, 3, 4].prefix(2)), Array([1, 2, 3, 4].suffix(3)))
// expect: [1, 2] [2, 3, 4]
// ---
print(Array([1, 2, 3].dropFirst()), Array([1, 2, 3].dropLast()))
// expect: [2, 3] [1, 2]
// ---
let scores = [0.5, 1.0, 0.25]
let total = scores.reduce(0, +)
print(total, total / Double(scores.count))
// expect: 1.75 0.5833333333333334
// ---
var a = [1, 2, 3]
var b = a
b[0] = 100
print(a, b)
// expect: [1, 2, 3] [100, 2, 3]
// ---
var grid = [[0, 0], [0, 0]]
grid[1][0] = 5
print(grid)
// expect: [[0, 0], [5, 0]]
// ---
let xs = [10, 20, 30, 40]
print(xs[1..<3], Array(xs[2...]))
// expect: [20, 30] [30, 40]
// ---
print(Array(repeating: 0, count: 3))
// expect: [0, 0, 0]
// ---
print(Array(1...4))
// expect: [1, 2, 3, 4]
// ---
print([1, 2] + [3])
// expect: [1, 2, 3]
// ---
print([1, 2] == [1, 2], [1] != [2])
// expect: true true
// ---
var xs = [3, 1, 2]
xs.sort()
print(xs)
xs.reverse()
print(xs)
// expect: [1, 2, 3]
// expect: [3, 2, 1]
// ---
var xs = [1, 2, 3, 4, 5]
xs.removeAll(where: { $0 % 2 == 1 })
print(xs)
// expect: [2, 4]
// ---
print([1, 2, 3].map { String($0) }.joined(separator: ", "))
// expect: 1, 2, 3
// ---
print([3, 1, 2].sorted().first!)
// expect: 1
// ---
let pairs = [("b", 2), ("a", 1)]
print(pairs.sorted { $0.0 < $1.0 }.map { $0.1 })
// expect: [1, 2]
// ---
print(["a", "b", "a"].filter { $0 == "a" }.count)
// expect: 2
// ---
print([2, 3].reduce(1, *))
// expect: 6
// ---
let nested = [[1, 2], [3, 4]]
print(nested.map { $0.reduce(0, +) })
// expect: [3, 7]
// ---
var xs: [String] = []
xs += ["x"]
print(xs)
// expect: ["x"]
// ---
print([1, 2, 3].lastIndex(of: 3)!, [1, 2, 3].last(where: { $0 < 3 })!)
// expect: 2 2
// ---
print([5, 3, 9].min(by: { $0 > $1 })!)
// expect: 9
// ---
let xs = [1, 2, 3]
print(xs.map { $0 * $0 }.filter { $0 > 1 }.reduce(0, +))
// expect: 13
// ---
var xs = [1, 2, 3]
xs.swapAt(0, 2)
print(xs)
// expect: [3, 2, 1]
// ---
print(["a", "b"].enumerated().map { "\($0.offset):\($0.element)" })
// expect: ["0:a", "1:b"]
// ---
print([1, 1, 2, 3, 3].count(where: { $0 == 3 }))
// expect: 2
