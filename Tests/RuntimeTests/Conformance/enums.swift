// Simple enums with switch.
enum Direction { case north, south, east, west }
let d = Direction.east
print(d)
// expect: east
// ---
enum Direction { case north, south }
var d: Direction = .north
d = .south
switch d {
case .north: print("up")
case .south: print("down")
}
// expect: down
// ---
enum Level {
    case low
    case high
}
print(Level.low == Level.low, Level.low == Level.high)
// expect: true false
// ---
enum Mode { case train, eval }
func describe(_ m: Mode) -> String {
    switch m {
    case .train: return "training"
    case .eval: return "evaluating"
    }
}
print(describe(.train), describe(Mode.eval))
// expect: training evaluating
// ---
enum Coin: Int { case penny = 1, nickel = 5, dime = 10 }
print(Coin.dime.rawValue, Coin(rawValue: 5) == .nickel)
// expect: 10 true
// ---
enum Loss: String { case grpo, dapo = "DAPO" }
print(Loss.grpo.rawValue, Loss.dapo.rawValue)
// expect: grpo DAPO
// ---
enum Shape {
    case circle
    case square
    func sides() -> Int {
        switch self {
        case .circle: return 0
        case .square: return 4
        }
    }
}
print(Shape.square.sides())
// expect: 4
// ---
enum Color { case red, green, blue }
print([Color.red, Color.blue])
// expect: [main.Color.red, main.Color.blue]
// ---
enum Color { case red, green, blue }
let c = Color.green
switch c {
case .red, .blue: print("not green")
default: print("green")
}
// expect: green
// ---
enum Result2 { case ok(Int), failed(String) }
let results = [Result2.ok(3), Result2.failed("bad")]
for r in results {
    switch r {
    case .ok(let v): print("ok", v)
    case .failed(let why): print("failed:", why)
    }
}
// expect: ok 3
// expect: failed: bad
// ---
enum Suit: String, CaseIterable { case hearts, spades }
print(Suit.allCases.count)
// expect: 2
// ---
enum Op { case add, mul }
func run(_ op: Op, _ a: Int, _ b: Int) -> Int {
    if op == .add { return a + b }
    return a * b
}
print(run(.add, 2, 3), run(.mul, 2, 3))
// expect: 5 6
