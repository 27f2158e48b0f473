// Parse errors: typed, with line and column; nothing in the cell runs.
print("never runs")
let x = (1 + 2
// expect-error-kind: ParseError
// expect-error: expected ')'
// expect-error-at: 3:15
// ---
let = 5
// expect-error-kind: ParseError
// expect-error-at: 1:5
// ---
func f( {
}
// expect-error-kind: ParseError
// ---
print("unterminated)
// expect-error-kind: ParseError
// expect-error: unterminated string
// expect-error-at: 1:7
// ---
let x = 1 +
// expect-error-kind: ParseError
// ---
if true {
    print("a")
// expect-error-kind: ParseError
// expect-error: expected '}'
// ---
let x = [1, 2
// expect-error-kind: ParseError
// expect-error: expected ']'
// ---
var 1x = 3
// expect-error-kind: ParseError
// expect-error-at: 1:5
// ---
let x = 5 5
// expect-error-kind: ParseError
// expect-error-at: 1:11
// ---
print(1))
// expect-error-kind: ParseError
// expect-error-at: 1:9
// ---
struct { var x: Int }
// expect-error-kind: ParseError
// expect-error-at: 1:8
// ---
let a = 1
let b = 2
let c = a +* b
// expect-error-kind: ParseError
// expect-error-at: 3:11
// ---
for in [1, 2] { }
// expect-error-kind: ParseError
// ---
switch 1 {
case: print("x")
}
// expect-error-kind: ParseError
// ---
let s = "bad escape \q"
// expect-error-kind: ParseError
// expect-error: escape
// ---
let t = """
no closing
// expect-error-kind: ParseError
// ---
func g() -> { }
// expect-error-kind: ParseError
// ---
let x = 1 @ 2
// expect-error-kind: ParseError
// expect-error-at: 1:11
// ---
else { print("x") }
// expect-error-kind: ParseError
// expect-error-at: 1:1
// ---
/* unterminated comment
print(1)
// expect-error-kind: ParseError
// expect-error: comment
