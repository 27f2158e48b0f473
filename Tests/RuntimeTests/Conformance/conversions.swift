// Conversions between numbers and strings.
print(Double("3.5") as Any, Double("abc") as Any)
// expect: Optional(3.5) nil
// ---
print(Int("4") as Any, Int("4.5") as Any, Int(" 4") as Any)
// expect: Optional(4) nil nil
// ---
print(Int("-12")!, Double("1e3")!, Double("-0.25")!)
// expect: -12 1000.0 -0.25
// ---
print(String(42), String(2.5), String(true))
// expect: 42 2.5 true
// ---
print(String(describing: 1.0), String(describing: [1: 2]), String(describing: Optional(3)))
// expect: 1.0 [1: 2] Optional(3)
// ---
print(Double(3), Int(3.7), Int(-0.5))
// expect: 3.0 3 0
// ---
let n = 7
let d = Double(n) / 2
print(d)
// expect: 3.5
// ---
print(Int("abc") ?? 0, Double("") ?? -1)
// expect: 0 -1.0
// ---
print(Int(Double("12.0")!))
// expect: 12
// ---
let text = "  42  "
print(Int(text.trimmingCharacters(in: .whitespaces)) ?? -1)
// expect: 42
// ---
print(String(Character("x")), Character("y"))
// expect: x y
// ---
print(Bool("true") as Any, Bool("yes") as Any)
// expect: Optional(true) nil
// ---
print(String(255, radix: 16), Int("ff", radix: 16)!)
// expect: ff 255
// ---
print(Double("inf")!, Double("nan")!.isNaN)
// expect: inf true
// ---
print(String(1e-6), "\(1e21)")
// expect: 1e-06 1e+21
// ---
print(Int(Double(Int.max / 2)) > 0)
// expect: true
// ---
let s = "3.14 is pi"
let first = s.split(separator: " ").first.map(String.init) ?? ""
print(Double(first)!)
// expect: 3.14
// ---
print(Int("+7")!, Double(".5")!)
// expect: 7 0.5
// ---
print(Array("ab").map { String($0) })
// expect: ["a", "b"]
// ---
print(Character("a").asciiValue!, String(UnicodeScalar(98)))
// expect: 97 b
// ---
let numbers = "1, 2, 3".components(separatedBy: ", ").compactMap(Int.init)
print(numbers)
// expect: [1, 2, 3]
// ---
import Foundation
let epoch = Date(timeIntervalSince1970: 0)
let later = Date(timeIntervalSince1970: 90.5)
print(epoch, later.timeIntervalSince(epoch), later.timeIntervalSince1970)
// expect: 1970-01-01 00:00:00 +0000 90.5 90.5
