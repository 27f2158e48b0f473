// Structs: stored properties, memberwise init, methods, mutating, value semantics.
struct Point { var x: Double; var y: Double }
let p = Point(x: 1, y: 2)
print(p.x, p.y)
// expect: 1.0 2.0
// ---
struct Point {
    var x: Double
    var y: Double
    func length() -> Double { (x * x + y * y).squareRoot() }
}
print(Point(x: 3, y: 4).length())
// expect: 5.0
// ---
struct Counter {
    var value = 0
    mutating func increment(by step: Int = 1) { value += step }
}
var c = Counter()
c.increment()
c.increment(by: 5)
print(c.value)
// expect: 6
// ---
struct Point { var x: Int; var y: Int }
var a = Point(x: 1, y: 1)
var b = a
b.x = 99
print(a.x, b.x)
// expect: 1 99
// ---
struct Config {
    var learningRate: Double = 5e-6
    var steps: Int = 100
    var name: String = "run"
}
let c = Config(steps: 10)
print(c.learningRate, c.steps, c.name)
// expect: 5e-06 10 run
// ---
struct Rect {
    var w: Double
    var h: Double
    var area: Double { w * h }
}
print(Rect(w: 2, h: 3.5).area)
// expect: 7.0
// ---
struct Temp {
    var celsius: Double
    init(fahrenheit: Double) { celsius = (fahrenheit - 32) / 1.8 }
}
print(Temp(fahrenheit: 212).celsius)
// expect: 100.0
// ---
struct Pair {
    let first: Int
    let second: Int
    init(_ a: Int, _ b: Int) {
        self.first = a
        self.second = b
    }
    func sum() -> Int { return self.first + self.second }
}
print(Pair(2, 3).sum())
// expect: 5
// ---
struct Stack {
    var items: [Int] = []
    mutating func push(_ x: Int) { items.append(x) }
    mutating func pop() -> Int? { items.popLast() }
    var isEmpty: Bool { items.isEmpty }
}
var s = Stack()
s.push(1)
s.push(2)
print(s.pop()!, s.pop()!, s.pop() == nil, s.isEmpty)
// expect: 2 1 true true
// ---
struct Inner { var v: Int }
struct Outer { var inner: Inner }
var o = Outer(inner: Inner(v: 1))
o.inner.v = 7
print(o.inner.v, o)
// expect: 7 Outer(inner: main.Inner(v: 7))
// ---
struct P { var x: Int }
var ps = [P(x: 1), P(x: 2)]
ps[0].x = 10
print(ps.map { $0.x })
// expect: [10, 2]
// ---
struct P { var x: Int }
let ps = [P(x: 3), P(x: 1), P(x: 2)]
print(ps.sorted { $0.x < $1.x }.map { $0.x })
// expect: [1, 2, 3]
// ---
struct Money {
    var cents: Int
    static let zero = Money(cents: 0)
    static func dollars(_ d: Int) -> Money { Money(cents: d * 100) }
}
print(Money.zero.cents, Money.dollars(3).cents)
// expect: 0 300
// ---
struct Named { var name: String; var score: Double? }
print(Named(name: "a", score: 0.5))
print(Named(name: "b", score: nil))
// expect: Named(name: "a", score: Optional(0.5))
// expect: Named(name: "b", score: nil)
// ---
struct Account {
    var balance = 0.0
    mutating func deposit(_ amount: Double) { balance += amount }
}
var accounts = [Account(), Account()]
accounts[1].deposit(5)
print(accounts[0].balance, accounts[1].balance)
// expect: 0.0 5.0
// ---
struct Greeter {
    var greeting: String
    func greet(_ name: String) -> String { "\(greeting), \(name)!" }
}
let g = Greeter(greeting: "Hey")
let f = g.greet
print(f("Bo"))
// expect: Hey, Bo!
// ---
struct Matrix {
    var rows: Int
    var cols: Int
    var data: [Double]
    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        data = Array(repeating: 0.0, count: rows * cols)
    }
    subscript(r: Int, c: Int) -> Double {
        get { data[r * cols + c] }
        set { data[r * cols + c] = newValue }
    }
}
var m = Matrix(rows: 2, cols: 2)
m[1, 1] = 4
print(m[1, 1], m.data)
// expect: 4.0 [0.0, 0.0, 0.0, 4.0]
// ---
struct Circle {
    var radius: Double
    var diameter: Double {
        get { radius * 2 }
        set { radius = newValue / 2 }
    }
}
var c = Circle(radius: 1)
c.diameter = 10
print(c.radius)
// expect: 5.0
// ---
struct Wrapper {
    var values: [Int]
    mutating func double() {
        for i in values.indices { values[i] *= 2 }
    }
}
var w = Wrapper(values: [1, 2])
let before = w
w.double()
print(before.values, w.values)
// expect: [1, 2] [2, 4]
