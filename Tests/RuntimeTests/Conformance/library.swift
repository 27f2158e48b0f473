// More of the standard library: the less common members reward code reaches for.
let groups = Dictionary(grouping: ["apple", "avocado", "banana"], by: { $0.first! })
print(groups["a"]!, groups["b"]!)
// expect: ["apple", "avocado"] ["banana"]
// ---
let d = Dictionary([("a", 1), ("a", 2), ("b", 3)], uniquingKeysWith: +)
print(d["a"]!, d["b"]!)
// expect: 3 3
// ---
print("Hello World".replacingOccurrences(of: "o", with: "0", options: .caseInsensitive))
// expect: Hell0 W0rld
// ---
print("a1b22c333".replacingOccurrences(of: "[0-9]+", with: "#", options: .regularExpression))
// expect: a#b#c#
// ---
let s = "The Answer"
print(s.range(of: "answer", options: .caseInsensitive) != nil, s.range(of: "answer") == nil)
// expect: true true
// ---
print("a b\tc\nd".components(separatedBy: .whitespacesAndNewlines))
// expect: ["a", "b", "c", "d"]
// ---
print("a,b;c".components(separatedBy: CharacterSet(charactersIn: ",;")))
// expect: ["a", "b", "c"]
// ---
print("one  two\tthree".split(whereSeparator: { $0 == " " || $0 == "\t" }))
// expect: ["one", "two", "three"]
// ---
print("--x--".trimmingCharacters(in: CharacterSet(charactersIn: "-")))
// expect: x
// ---
print("...done!?".trimmingCharacters(in: .punctuationCharacters))
// expect: done
// ---
print("ab".padding(toLength: 5, withPad: ".", startingAt: 0) + "|")
// expect: ab...|
// ---
print(Int(exactly: 3.0) as Any, Int(exactly: 3.5) as Any)
// expect: Optional(3) nil
// ---
let qr = 17.quotientAndRemainder(dividingBy: 5)
print(qr.quotient, qr.remainder)
// expect: 3 2
// ---
print(2.7.rounded(.down), 2.2.rounded(.up), (-2.7).rounded(.towardZero), 2.5.rounded(.toNearestOrEven))
// expect: 2.0 3.0 -2.0 2.0
// ---
let r = Double.random(in: 0..<1)
print(r >= 0 && r < 1)
let i = Int.random(in: 1...6)
print((1...6).contains(i))
// expect: true
// expect: true
// ---
print([1, 2, 3].shuffled().sorted(), [Int]().randomElement() == nil)
// expect: [1, 2, 3] true
// ---
debugPrint("quoted", 1)
// expect: "quoted" 1
// ---
print(String(reflecting: "s"), String(reflecting: 2.0))
// expect: "s" 2.0
// ---
for (n, c) in zip(1...3, "abc") { print(n, c) }
// expect: 1 a
// expect: 2 b
// expect: 3 c
// ---
print(Array([1, 2, 5, 1].prefix(while: { $0 < 4 })), Array([1, 2, 5, 1].drop(while: { $0 < 4 })))
// expect: [1, 2] [5, 1]
// ---
print([3, 8, 1, 9].firstIndex(where: { $0 > 5 })!, [3, 8, 1, 9].lastIndex(where: { $0 < 5 })!)
// expect: 1 2
// ---
print(["pear", "fig"].min()!, ["pear", "fig"].max(by: { $0.count < $1.count })!)
// expect: fig pear
// ---
print([(2, "b"), (1, "z"), (2, "a")].sorted { $0 < $1 })
// expect: [(1, "z"), (2, "a"), (2, "b")]
// ---
print(Array([[1, 2], [3]].joined()))
// expect: [1, 2, 3]
// ---
print([1, 2].elementsEqual([1, 2]), Array("abc"), Array(["k": 1].keys))
// expect: true ["a", "b", "c"] ["k"]
// ---
var xs = [1, 5]
xs.insert(contentsOf: [2, 3, 4], at: 1)
xs.removeFirst(2)
print(xs, xs.popLast()!, xs)
// expect: [3, 4, 5] 5 [3, 4]
// ---
var flag = false
flag.toggle()
print(flag)
// expect: true
// ---
let c: Character = "7"
let h: Character = "f"
print(c.wholeNumberValue!, h.hexDigitValue!, c.isNumber, Character("é").isASCII)
// expect: 7 15 true false
// ---
print([1, 2, 3].lazy.map { $0 * 2 }.reduce(0, +))
// expect: 12
// ---
print((0..<5).filter { $0 % 2 == 0 }, (1...4).reduce(1, *), (0..<3).map { $0 * $0 })
// expect: [0, 2, 4] 24 [0, 1, 4]
// ---
let r = 2..<5
print(r.lowerBound, r.upperBound, r.count, r.contains(4), r.contains(5), (1...3).count)
// expect: 2 5 3 true false 3
// ---
print((0.0...1.0).contains(0.5), (0..<0).isEmpty)
// expect: true true
// ---
let text = "Hello"
let i = text.index(text.startIndex, offsetBy: 1)
print(text[i], text[text.index(after: i)])
// expect: e l
// ---
print(String(format: "%08.3f|%+d|%x|%e", 3.14159, 5, 255, 12345.678))
// expect: 0003.142|+5|ff|1.234568e+04
// ---
print(String(format: "%@ scored %.1f", "Ada", 9.25))
// expect: Ada scored 9.2
// ---
print(String(format: "%3d|%-5s|", 7, "ab"))
// ours
// expect:   7|ab   |
// ---
print(abs(Int.min + 1), max(2.5, 1), min("b", "a"))
// expect: 9223372036854775807 2.5 a
// ---
print(exp2(3.0), cbrt(27.0), hypot(3.0, 4.0), atan2(1.0, 1.0) * 4)
// expect: 8.0 3.0000000000000004 5.0 3.141592653589793
// ---
print(log1p(0.0), expm1(0.0), trunc(-2.7), fmod(7.5, 2.0))
// expect: 0.0 0.0 -2.0 1.5
// ---
let names = ["b": 2, "a": 1]
let inverted = Dictionary(uniqueKeysWithValues: names.map { ($0.value, $0.key) })
print(inverted[1]!, inverted[2]!)
// expect: a b
// ---
let d = ["a": 1, "b": nil as Int?]
print(d.compactMapValues { $0 }.count)
// expect: 1
// ---
let d = ["x": 1]
let merged = d.merging(["y": 2]) { a, _ in a }
print(merged.count, d.count)
// expect: 2 1
// ---
// ours
let m = "name: Ada, age: 36".firstMatch(of: #"name: (?<name>\w+), age: (?<age>\d+)"#)!
print(m["name"], m["age"], m.count)
// expect: Ada 36 3
// ---
// ours
print("abc123".wholeMatch(of: #"[a-z]+\d+"#) != nil, "abc123!".wholeMatch(of: #"[a-z]+\d+"#) == nil)
// expect: true true
// ---
// ours
let m = "x=1".firstMatch(of: #"(\w)=(\d)"#)!
print(m)
// expect: RegexMatch("x=1", captures: ["x", "1"])
// ---
// ours
print("aaa".firstMatch(of: "a")!.9)
// expect-error: no group 9
// ---
// ours
print("ab".firstMatch(of: "a")!["missing"])
// expect-error: no group named 'missing'
// ---
// ours
// input: yes
print(readLine(strippingNewline: true) ?? "none")
// expect: yes
// ---
// ours
print("a\nb\n\nc".lines)
// expect: ["a", "b", "", "c"]
// ---
print(String(format: "%d", 1.5))
// ours
// expect-error: needs an Int
// ---
print(String(format: "%d %d", 1))
// ours
// expect-error: more conversions than arguments
// ---
print(String(format: "%1000000000.3f|%+d", 3.14159, 12))
// ours
// expect-error: is too large (at most 10000)
// ---
print(Int(Double.nan))
// expect-error: infinite or NaN
// ---
print(Int(1e300))
// expect-error: greater than Int.max
// ---
print(String(7, radix: 1))
// expect-error: radix
// ---
print(Character("ab"))
// expect-error: Character
// ---
print([1, "a"].sorted())
// ours
// expect-error: cannot compare
// ---
print(Dictionary(uniqueKeysWithValues: [("a", 1), ("a", 2)]))
// expect-error: Duplicate
// ---
var xs = [1]
xs.insert(0, at: 5)
// expect-error: out of range
// ---
var xs = [Int]()
print(xs.remove(at: 0))
// expect-error: out of range
// ---
print("abc".dropFirst(-1))
// expect-error: negative
// ---
print(stride(from: 0, to: 10, by: 0).count)
// expect-error: zero
// ---
let words = "the cat the hat".split(separator: " ").map(String.init)
let unique = Set(words)
print(unique.count, unique.contains("cat"), unique.sorted())
// expect: 3 true ["cat", "hat", "the"]
// ---
let a = Set([1, 2, 3])
let b = Set([3, 2, 1])
print(a == b, a.intersection([2, 3, 4]).count, a.union(b).count, a.isSubset(of: [1, 2, 3, 4]))
// expect: true 2 3 true
// ---
var seen = Set<String>()
print(seen.insert("x").inserted, seen.insert("x").inserted, seen.count)
// expect: true false 1
// ---
func jaccard(_ x: String, _ y: String) -> Double {
    let a = Set(x.lowercased().split(separator: " ").map(String.init))
    let b = Set(y.lowercased().split(separator: " ").map(String.init))
    let union = a.union(b)
    return union.isEmpty ? 0 : Double(a.intersection(b).count) / Double(union.count)
}
print(jaccard("Aspirin reduces fever", "aspirin reduces pain"))
// expect: 0.5
// ---
var s: Set<Int> = [3, 1]
s.remove(3)
s.formUnion([5, 1])
print(s.sorted(), s.subtracting([5]).sorted(), s.symmetricDifference([1, 9]).sorted(), s.isDisjoint(with: [2]))
// expect: [1, 5] [1] [5, 9] true
