// Dictionary members. Multi-key dictionaries are never printed directly (order is unspecified).
var d = ["a": 1]
d["b"] = 2
print(d["a"]!, d["b"]!, d["z"] == nil)
// expect: 1 2 true
// ---
let d = ["a": 1]
print(d["a"] as Any, d["q"] as Any)
// expect: Optional(1) nil
// ---
let d = ["a": 1]
print(d["a", default: 0], d["z", default: 0])
// expect: 1 0
// ---
var counts: [String: Int] = [:]
for w in ["x", "y", "x"] { counts[w, default: 0] += 1 }
print(counts["x"]!, counts["y"]!)
// expect: 2 1
// ---
let d = ["b": 2, "a": 1]
print(d.keys.sorted(), d.values.sorted())
// expect: ["a", "b"] [1, 2]
// ---
let d = ["a": 1, "b": 2]
let doubled = d.mapValues { $0 * 10 }
print(doubled["a"]!, doubled["b"]!)
// expect: 10 20
// ---
let d = ["a": 1, "b": 2, "c": 3]
let big = d.filter { $0.value > 1 }
print(big.count, big["a"] == nil)
// expect: 2 true
// ---
var d = ["a": 1, "b": 2]
print(d.count, d.isEmpty)
let old = d.removeValue(forKey: "a")
print(old!, d.count, d.removeValue(forKey: "zz") == nil)
// expect: 2 false
// expect: 1 1 true
// ---
var d = ["a": 1]
let previous = d.updateValue(5, forKey: "a")
let none = d.updateValue(7, forKey: "b")
print(previous!, none == nil, d["a"]!, d["b"]!)
// expect: 1 true 5 7
// ---
let d = ["b": 2, "a": 1, "c": 3]
for (k, v) in d.sorted(by: { $0.key < $1.key }) { print(k, v) }
// expect: a 1
// expect: b 2
// expect: c 3
// ---
let d = ["x": 1, "y": 2]
var total = 0
for (_, v) in d { total += v }
print(total)
// expect: 3
// ---
let d = ["only": [1, 2]]
for (key, value) in d { print(key, value) }
// expect: only [1, 2]
// ---
var d = ["a": 1]
d["a"] = nil
print(d.isEmpty)
// expect: true
// ---
var a = ["k": 1]
var b = a
b["k"] = 2
print(a["k"]!, b["k"]!)
// expect: 1 2
// ---
let d: [String: Double] = ["pi": 3.14]
print(d)
// expect: ["pi": 3.14]
// ---
let d = [1: "one", 2: "two"]
print(d[2]!)
// expect: two
// ---
let d = ["a": ["x": 1]]
print(d["a"]?["x"] as Any)
// expect: Optional(1)
// ---
var d: [String: [Int]] = [:]
d["xs", default: []].append(4)
d["xs", default: []].append(5)
print(d)
// expect: ["xs": [4, 5]]
// ---
let d = ["a": 3, "b": 1, "c": 2]
print(d.sorted { $0.value < $1.value }.map { $0.key })
// expect: ["b", "c", "a"]
// ---
let d = ["a": 1, "b": 2]
print(d.keys.contains("a"), d.values.contains(3))
// expect: true false
// ---
let d = ["a": 1, "b": 5]
print(d.values.reduce(0, +), d.values.max()!)
// expect: 6 5
// ---
let d = Dictionary(uniqueKeysWithValues: [("a", 1), ("b", 2)])
print(d["b"]!)
// expect: 2
// ---
let d = ["k": "v"]
if let v = d["k"] { print("found", v) }
if let v = d["missing"] { print("found", v) } else { print("missing") }
// expect: found v
// expect: missing
// ---
let record: [String: String] = ["Question": "Q?", "Response": "R."]
let prompt = "Q: " + record["Question"]! + " A: " + (record["Response"] ?? "")
print(prompt)
// expect: Q: Q? A: R.
// ---
let d = ["a": 1, "b": 2]
let m = d.map { "\($0.key)=\($0.value)" }.sorted()
print(m)
// expect: ["a=1", "b=2"]
// ---
let d = ["z": 1]
print(d.first!.key, d.first!.value)
// expect: z 1
// ---
var d = ["a": 1, "b": 2]
d.merge(["b": 20, "c": 3]) { _, new in new }
print(d.keys.sorted(), d["b"]!)
// expect: ["a", "b", "c"] 20
