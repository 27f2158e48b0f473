// switch on literals, ranges, tuples, with default.
let n = 3
switch n {
case 1: print("one")
case 2, 3: print("two or three")
default: print("many")
}
// expect: two or three
// ---
let s = "b"
switch s {
case "a": print("A")
case "b": print("B")
default: print("?")
}
// expect: B
// ---
func bucket(_ x: Int) -> String {
    switch x {
    case ..<0: return "negative"
    case 0: return "zero"
    case 1...9: return "small"
    case 10..<100: return "medium"
    default: return "large"
    }
}
print(bucket(-5), bucket(0), bucket(9), bucket(10), bucket(500))
// expect: negative zero small medium large
// ---
let p = (1, 0)
switch p {
case (0, 0): print("origin")
case (_, 0): print("on x axis")
case (0, _): print("on y axis")
default: print("elsewhere")
}
// expect: on x axis
// ---
let p = (2, 3)
switch p {
case (let x, 0): print("x only", x)
case (let x, let y): print("both", x, y)
}
// expect: both 2 3
// ---
let v = 15
switch v {
case let x where x % 2 == 0: print("even", x)
case let x: print("odd", x)
}
// expect: odd 15
// ---
let d = 0.5
switch d {
case 0.0..<0.25: print("low")
case 0.25..<0.75: print("mid")
default: print("high")
}
// expect: mid
// ---
let c: Character = "e"
switch c {
case "a", "e", "i", "o", "u": print("vowel")
default: print("consonant")
}
// expect: vowel
// ---
let flag = true
switch flag {
case true: print("yes")
case false: print("no")
}
// expect: yes
// ---
let x = 1
switch x {
case 1:
    print("first")
    fallthrough
case 2:
    print("second")
default:
    print("never")
}
// expect: first
// expect: second
// ---
let x = 4
switch x {
case 4:
    break
default:
    print("no")
}
print("after")
// expect: after
// ---
for i in 1...15 {
    switch (i % 3, i % 5) {
    case (0, 0): print("FizzBuzz")
    case (0, _): print("Fizz")
    case (_, 0): print("Buzz")
    default: continue
    }
}
// expect: Fizz
// expect: Buzz
// expect: Fizz
// expect: Fizz
// expect: Buzz
// expect: Fizz
// expect: FizzBuzz
// ---
let o: Int? = nil
switch o {
case nil: print("nil")
case let v?: print(v)
}
// expect: nil
// ---
let label = "answer"
let r: Int
switch label {
case "answer": r = 1
default: r = 0
}
print(r)
// expect: 1
