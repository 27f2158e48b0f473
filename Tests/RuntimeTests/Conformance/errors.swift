// do/catch/throw, try, try?
enum ParseFailure: Error { case empty, bad(String) }
func parse(_ s: String) throws -> Int {
    if s.isEmpty { throw ParseFailure.empty }
    guard let v = Int(s) else { throw ParseFailure.bad(s) }
    return v
}
do {
    print(try parse("12"))
    print(try parse("x"))
} catch ParseFailure.bad(let s) {
    print("bad input", s)
} catch {
    print("other", error)
}
// expect: 12
// expect: bad input x
// ---
enum E: Error { case boom }
func f() throws -> Int { throw E.boom }
let v = try? f()
print(v as Any)
// expect: nil
// ---
enum E: Error { case boom }
func f(_ ok: Bool) throws -> Int {
    if !ok { throw E.boom }
    return 1
}
print((try? f(true)) as Any, (try? f(false)) ?? -1)
// expect: Optional(1) -1
// ---
enum E: Error { case boom }
do {
    throw E.boom
} catch {
    print("caught", error)
}
// expect: caught boom
// ---
enum E: Error { case empty }
func f() throws { throw E.empty }
do {
    try f()
} catch E.empty {
    print("empty")
}
// expect: empty
// ---
enum E: Error { case a, b }
func f(_ x: Int) throws -> String {
    switch x {
    case 0: throw E.a
    case 1: throw E.b
    default: return "fine"
    }
}
for i in 0..<3 {
    do {
        print(try f(i))
    } catch E.a {
        print("a")
    } catch {
        print("other:", error)
    }
}
// expect: a
// expect: other: b
// expect: fine
// ---
enum E: Error { case inner }
func inner() throws { throw E.inner }
func outer() throws { try inner() }
do { try outer() } catch { print("propagated", error) }
// expect: propagated inner
// ---
struct ValidationError: Error { var message: String }
do {
    throw ValidationError(message: "too long")
} catch let e as ValidationError {
    print(e.message)
}
// expect: too long
// ---
enum E: Error { case bad }
func f() throws -> Int { throw E.bad }
let r: Int
do { r = try f() } catch { r = -1 }
print(r)
// expect: -1
// ---
enum E: Error { case bad }
var log: [String] = []
func work() throws {
    defer { log.append("cleanup") }
    log.append("start")
    throw E.bad
}
do { try work() } catch { log.append("caught") }
print(log)
// expect: ["start", "cleanup", "caught"]
// ---
enum E: Error { case bad }
func risky(_ x: Int) throws -> Int {
    if x < 0 { throw E.bad }
    return x * 2
}
let results = [3, -1, 4].map { try? risky($0) }
print(results)
// expect: [Optional(6), nil, Optional(8)]
// ---
enum E: Error { case bad }
func risky() throws -> Int { throw E.bad }
do {
    let x = try risky()
    print("unreachable", x)
} catch {
    print("error is E:", error is E)
}
// expect: error is E: true
