// Regex helpers on String (ours: patterns are ICU regular expressions in ordinary or raw strings).
// ours
let text = "<reasoning>think</reasoning><answer>42</answer>"
if let m = text.firstMatch(of: #"<answer>(.*?)</answer>"#) {
    print(m.1)
    print(m.0)
}
// expect: 42
// expect: <answer>42</answer>
// ---
// ours
let m = "no tags".firstMatch(of: #"<answer>(.*?)</answer>"#)
print(m == nil)
// expect: true
// ---
// ours
let m = "a=1, b=22".firstMatch(of: #"(\w)=(\d+)"#)!
print(m.captures, m[0], m[1], m[2], m.output)
// expect: ["a", "1"] a=1 a 1 a=1
// ---
// ours
print("abc123".matches(#"\d+"#), "abc".matches(#"\d+"#))
// expect: true false
// ---
// ours
print("Answer: 42".matches(#"^Answer: \d+$"#), "Answer: 42!".matches(#"^Answer: \d+$"#))
// expect: true false
// ---
// ours
let all = "x1 y22 z333".allMatches(of: #"\d+"#).map { $0.0 }
print(all)
// expect: ["1", "22", "333"]
// ---
// ours
let pairs = "a=1;b=2".matches(of: #"(\w)=(\d)"#).map { "\($0[1]):\($0[2])" }
print(pairs)
// expect: ["a:1", "b:2"]
// ---
// ours
print("2024-01-15".replacing(regex: #"(\d+)-(\d+)-(\d+)"#, with: "$3/$2/$1"))
// expect: 15/01/2024
// ---
// ours
print("a  b\t\tc".replacing(regex: #"\s+"#, with: " "))
// expect: a b c
// ---
// ours
let text = "<answer>\nmultiple\nlines\n</answer>"
let m = text.firstMatch(of: #"(?s)<answer>(.*?)</answer>"#)
print(m!.1.trimmingCharacters(in: .whitespacesAndNewlines))
// expect: multiple
// expect: lines
// ---
// ours
func formatReward(_ completion: String) -> Double {
    let pattern = #"^<reasoning>[\s\S]*?</reasoning>\s*<answer>[\s\S]*?</answer>$"#
    return completion.matches(pattern) ? 1.0 : 0.0
}
print(formatReward("<reasoning>r</reasoning>\n<answer>a</answer>"), formatReward("just text"))
// expect: 1.0 0.0
// ---
// ours
func extractNumber(_ s: String) -> Double? {
    guard let m = s.firstMatch(of: #"-?\d+(\.\d+)?"#) else { return nil }
    return Double(m.0)
}
print(extractNumber("the dose is 12.5 mg") as Any, extractNumber("none") as Any)
// expect: Optional(12.5) nil
// ---
// ours
let m = "color colour".allMatches(of: "colou?r")
print(m.count)
// expect: 2
// ---
// ours
let m = "ab".firstMatch(of: "(x)?(b)")!
print(m.captures, m[1].isEmpty)
// expect: ["", "b"] true
// ---
// ours
print("HELLO".matches("(?i)hello"))
// expect: true
// ---
// ours
let text = "score: 7/10"
if let m = text.firstMatch(of: #"(\d+)/(\d+)"#), let a = Double(m.1), let b = Double(m.2) {
    print(a / b)
}
// expect: 0.7
// ---
// ours
print("naïve café".matches("é"), "naïve café".allMatches(of: #"\w+"#).map { $0.0 })
// expect: true ["naïve", "café"]
// ---
// ours
let m = "key: value".firstMatch(of: #"(\w+): (\w+)"#)!
print(m.range.lowerBound, m.range.upperBound)
// expect: 0 10
// ---
// ours
print("x".matches("("))
// expect-error: invalid regular expression
// expect-error-kind: RuntimeError
// ---
// ours
for r in "aXbXc".ranges(of: "X") { print(r) }
// expect: 1..<2
// expect: 3..<4
// ---
// ours
print("a.b.c".replacing(regex: #"\."#, with: "-"), "a.b".replacingOccurrences(of: ".", with: "-"))
// expect: a-b-c a-b
