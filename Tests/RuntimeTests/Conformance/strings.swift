// String members used by reward functions.
let s = "Hello, World"
print(s.count, s.isEmpty, "".isEmpty)
// expect: 12 false true
// ---
print("héllo".count, "👍🏽".count, "e\u{301}".count)
// expect: 5 1 1
// ---
let s = "The answer is 42"
print(s.contains("answer"), s.contains("Answer"))
// expect: true false
// ---
print("reasoning".hasPrefix("reason"), "reasoning".hasSuffix("ing"), "x".hasPrefix("xy"))
// expect: true true false
// ---
print("a,b,,c".split(separator: ","))
// expect: ["a", "b", "c"]
// ---
print("a,b,,c".split(separator: ",", omittingEmptySubsequences: false))
// expect: ["a", "b", "", "c"]
// ---
print("a b c d".split(separator: " ", maxSplits: 1))
// expect: ["a", "b c d"]
// ---
let words = "one two  three".split(separator: " ")
print(words.count)
for w in words { print(String(w)) }
// expect: 3
// expect: one
// expect: two
// expect: three
// ---
print("a--b--c".components(separatedBy: "--"))
// expect: ["a", "b", "c"]
// ---
print("a,b,".components(separatedBy: ","))
// expect: ["a", "b", ""]
// ---
print("  padded \n".trimmingCharacters(in: .whitespacesAndNewlines) + "|")
// expect: padded|
// ---
print("|" + " \tx \t".trimmingCharacters(in: .whitespaces) + "|")
// expect: |x|
// ---
print("|" + "\n\nx\n".trimmingCharacters(in: .newlines) + "|")
// expect: |x|
// ---
print("MiXeD".lowercased(), "MiXeD".uppercased())
// expect: mixed MIXED
// ---
print("a cat, a hat".replacingOccurrences(of: "at", with: "og"))
// expect: a cog, a hog
// ---
print("abc".replacingOccurrences(of: "", with: "x"))
// expect: abc
// ---
let s = "abcdef"
print(String(s.prefix(3)), String(s.suffix(2)))
// expect: abc ef
// ---
print(String("abc".prefix(10)))
// expect: abc
// ---
print(String("abcdef".dropFirst()), String("abcdef".dropLast(2)))
// expect: bcdef abcd
// ---
let s = "xyz"
print(s.first!, s.last!)
// expect: x z
// ---
print("".first == nil)
// expect: true
// ---
print(String("stressed".reversed()))
// expect: desserts
// ---
for c in "abc" { print(c) }
// expect: a
// expect: b
// expect: c
// ---
let c: Character = "q"
print(c, String(c) + "!")
// expect: q q!
// ---
print(["a", "b", "c"].joined(separator: "-"))
// expect: a-b-c
// ---
print(["x", "y"].joined())
// expect: xy
// ---
var s = "ab"
s += "cd"
s.append("e")
print(s)
// expect: abcde
// ---
print("abc" == "abc", "abc" < "abd", "b" > "a")
// expect: true true true
// ---
print("ab" + "cd")
// expect: abcd
// ---
print(String(repeating: "-", count: 5))
// expect: -----
// ---
print("Hello".map { String($0) }.joined(separator: "."))
// expect: H.e.l.l.o
// ---
let vowels = "programming".filter { "aeiou".contains($0) }
print(vowels)
// expect: oai
// ---
print("a1b2c3".filter { $0.isNumber })
// expect: 123
// ---
let ch: Character = "A"
print(ch.isLetter, ch.isUppercase, ch.isWhitespace, Character(" ").isWhitespace)
// expect: true true false true
// ---
print(Array("hey"))
// expect: ["h", "e", "y"]
// ---
print("hello world".capitalized)
// expect: Hello World
// ---
let lines = "l1\nl2\nl3".split(separator: "\n")
print(lines.count, lines.last!)
// expect: 3 l3
// ---
print("banana".components(separatedBy: "a").count - 1)
// expect: 3
// ---
print("abc".contains { $0 == "b" })
// expect: true
// ---
let text = "<answer>42</answer>"
if let start = text.range(of: "<answer>"), let end = text.range(of: "</answer>") {
    print(text[start.upperBound..<end.lowerBound])
}
// expect: 42
// ---
print("Swift".lowercased().hasPrefix("sw"))
// expect: true
// ---
print("x".isEmpty ? "empty" : "not empty")
// expect: not empty
// ---
print("caf\u{E9}" == "cafe\u{301}")
// expect: true
// ---
print("abc".utf8.count, "é".utf8.count)
// expect: 3 2
// ---
print("a-b".split(separator: "-").map { $0.uppercased() })
// expect: ["A", "B"]
// ---
print("one two".starts(with: "one"))
// expect: true
// ---
print("aaa".firstIndex(of: "b") == nil)
// expect: true
