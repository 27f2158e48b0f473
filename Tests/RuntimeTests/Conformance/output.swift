// Output built-ins: printError, display, display handles, clearOutput (ours).
// ours
printError("warning: x")
print("normal")
// expect-stderr: warning: x
// expect: normal
// ---
// ours
printError("a", "b", separator: "-")
// expect-stderr: a-b
// ---
// ours
display("text")
// expect-display: text/plain text
// ---
// ours
display([1, 2])
// expect-display: text/plain [1, 2]
// ---
// ours
display(html: "<b>bold</b>")
// expect-display: text/html <b>bold</b>
// ---
// ours
display(markdown: "# Title")
// expect-display: text/markdown # Title
// ---
// ours
display(svg: "<svg></svg>")
// expect-display: image/svg+xml <svg></svg>
// ---
// ours
let h = display("0%", id: "progress")
h.update("50%")
h.update("100%")
// expect-display: #progress text/plain 0%
// expect-display: update #progress text/plain 50%
// expect-display: update #progress text/plain 100%
// ---
// ours
let h = display(html: "<i>start</i>", id: "bar")
h.update(html: "<i>done</i>")
// expect-display: #bar text/html <i>start</i>
// expect-display: update #bar text/html <i>done</i>
// ---
// ours
clearOutput()
clearOutput(wait: true)
// expect-display: clear
// expect-display: clear wait
// ---
// ours
display("a\nb")
// expect-display: text/plain a\nb
// ---
// ours
struct P { var x: Int }
display(P(x: 1))
// expect-display: text/plain P(x: 1)
// ---
// ours
print("a")
display("b")
print("c")
// expect: a
// expect: c
// expect-display: text/plain b
// ---
// ours
display(3.5)
// expect-display: text/plain 3.5
// ---
// ours
let h = display("x", id: "k")
h.update(42)
// expect-display: #k text/plain x
// expect-display: update #k text/plain 42
// ---
// ours
for i in 1...3 { print(i, terminator: i < 3 ? "," : "\n") }
// expect: 1,2,3
