// readLine through the session's input provider (ours).
// ours
// input: Ada
let name = readLine(prompt: "Name? ")
print("Hello, \(name ?? "nobody")")
// expect: Hello, Ada
// expect-prompt: Name? 
// ---
// ours
// input: 4
// input: 5
let a = Int(readLine()!)!
let b = Int(readLine(prompt: "b: ")!)!
print(a + b)
// expect: 9
// expect-prompt: 
// expect-prompt: b: 
// ---
// ours
let line = readLine(prompt: "x")
print(line == nil)
// expect-error: input
// ---
// ours
// input: secret
let pw = readLine(prompt: "pw", password: true)
print(pw!.count)
// expect: 6
// expect-prompt: pw (password)
