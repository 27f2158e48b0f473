import Runtime
import XCTest

/// Language semantics the conformance files do not pin down exactly: error kinds and positions,
/// value semantics, literal typing, natives calling back into closures.
final class LanguageTests: XCTestCase {
    private func output(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let outcome = TestSession().run(code)
        XCTAssertNil(outcome.error, outcome.error?.description ?? "", file: file, line: line)
        return outcome.stdout
    }

    private func error(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> CellError? {
        let outcome = TestSession().run(code)
        XCTAssertNotNil(outcome.error, "expected an error", file: file, line: line)
        return outcome.error
    }

    func testValueSemanticsForArraysDictionariesAndStructs() {
        XCTAssertEqual(output("""
        var a = [1, 2]; var b = a; b.append(3)
        var d = ["k": 1]; var e = d; e["k"] = 2
        struct S { var items: [Int] }
        var s = S(items: [1]); var t = s; t.items.append(2)
        print(a, b, d["k"]!, e["k"]!, s.items, t.items)
        """), "[1, 2] [1, 2, 3] 1 2 [1] [1, 2]\n")
    }

    func testAssigningThroughAnEmptySubscriptIsAnErrorNotACrash() {
        // Found by the fuzz test: `d[] = 1` read the first key of an empty key list.
        XCTAssertTrue(error(#"var d = ["a": 1]; d[] = 2"#)?.message.contains("cannot assign through a subscript") ?? false)
        XCTAssertNotNil(error("var xs = [1]; xs[] += 1"))
        // A stored property whose initial value builds the struct again overflowed the stack.
        XCTAssertEqual(error("struct Loop { var cents: Int = Loop(cents: 0).cents }\nlet l = Loop(cents: 1)")?.message
            .contains("maximum recursion depth"), true)
        XCTAssertNotNil(error("print(Array(...4))"))
        // Also found by it: padding to Int.max characters hung instead of failing.
        XCTAssertTrue(error(#"print("ab".padding(toLength: Int.max, withPad: "."))"#)?.message.contains("too long") ?? false)
    }

    func testNestedInPlaceMutation() {
        XCTAssertEqual(output("""
        struct Cell { var hits = 0 }
        var grid = [[Cell(), Cell()], [Cell()]]
        grid[0][1].hits += 2
        var counts: [String: [Int]] = [:]
        counts["a", default: []].append(1)
        counts["a"]!.append(2)
        print(grid[0][1].hits, counts)
        """), "2 [\"a\": [1, 2]]\n")
    }

    func testClosuresCaptureAndMutate() {
        XCTAssertEqual(output("""
        func makeCounter() -> () -> Int { var n = 0; return { n += 1; return n } }
        let next = makeCounter()
        _ = next(); _ = next()
        print(next(), [3, 1, 2].sorted { $0 > $1 }, [1, 2, 3].map { x in x * x })
        """), "3 [3, 2, 1] [1, 4, 9]\n")
    }

    func testClosuresInLoopsCaptureTheirOwnIteration() {
        XCTAssertEqual(output("var fs: [() -> Int] = []\nfor i in 0..<3 { let sq = i * i; fs.append { i + sq } }\nprint(fs.map { $0() })"),
                       "[0, 2, 6]\n")
    }

    func testInoutParameters() {
        XCTAssertEqual(output("func bump(_ x: inout Int, by d: Int = 1) { x += d }\nvar v = 1\nbump(&v)\nbump(&v, by: 5)\nprint(v)"), "7\n")
    }

    func testIntegerLiteralsAdaptToDoubleButVariablesDoNot() throws {
        XCTAssertEqual(output("let x = 2.5\nlet y: Double = 3\nprint(x * 2, y, [1, 2.5], x > 1)"), "5.0 3.0 [1.0, 2.5] true\n")
        let mixing = try XCTUnwrap(error("let n = 2\nlet x = 2.5\nprint(n * x)"))
        XCTAssertTrue(mixing.message.contains("'Int' and 'Double'"), mixing.message)
        XCTAssertEqual(mixing.traceback[0], "Cell [1], line 3, column 9: \(mixing.message)")
    }

    func testArithmeticTraps() throws {
        XCTAssertTrue(try XCTUnwrap(error("let m = Int.max\nprint(m + 1)")).message.contains("overflow"))
        XCTAssertTrue(try XCTUnwrap(error("print(7 % 0)")).message.contains("Division by zero"))
        XCTAssertEqual(output("print(7 / 2, -7 / 2, 7 % 3, 7.0 / 2)"), "3 -3 1 3.5\n")
    }

    func testRuntimeErrorKinds() throws {
        let cases: [(String, String)] = [
            ("let o: Int? = nil\nprint(o!)", "nil"),
            ("func f(x: Int) {}\nf(y: 1)", "argument label"),
            ("let n = 3\nn()", "non-function"),
            ("let s = \"a\"\nprint(s.nope)", "no member 'nope'"),
            ("let n: Int = \"a\"", "cannot convert"),
            ("enum E: Error { case boom }\nthrow E.boom", "boom"),
            ("let r = 1...3\nfor i in 0..<5 { print([1][i]) }", "Index out of range"),
            ("let k = 1\nk = 2", "'let' constant"),
        ]
        for (code, expected) in cases {
            let failure = try XCTUnwrap(error(code), code)
            XCTAssertTrue(failure.message.contains(expected), "\(code): \(failure.message)")
            XCTAssertTrue(failure.traceback[0].hasPrefix("Cell [1], line "), failure.traceback[0])
        }
    }

    func testThrowingAndCatching() {
        XCTAssertEqual(output("""
        enum ParseFailure: Error { case empty, bad(String) }
        func parse(_ s: String) throws -> Int {
            if s.isEmpty { throw ParseFailure.empty }
            guard let n = Int(s) else { throw ParseFailure.bad(s) }
            return n
        }
        do { _ = try parse("x") } catch ParseFailure.bad(let text) { print("bad", text) } catch { print("other") }
        print(try? parse(""), try! parse("4"))
        """), "bad x\nnil 4\n")
    }

    func testSwitchPatterns() {
        XCTAssertEqual(output("""
        func kind(_ p: (Int, Int)) -> String {
            switch p {
            case (0, 0): return "origin"
            case (let x, 0) where x > 0: return "right"
            case (_, 1...5): return "low"
            default: return "far"
            }
        }
        print(kind((0, 0)), kind((3, 0)), kind((9, 2)), kind((1, 9)))
        """), "origin right low far\n")
    }

    func testStructFeatures() {
        XCTAssertEqual(output("""
        struct Temperature {
            static let freezing = Temperature(celsius: 0)
            var celsius: Double
            var fahrenheit: Double {
                get { celsius * 9 / 5 + 32 }
                set { celsius = (newValue - 32) * 5 / 9 }
            }
            mutating func warm(by d: Double) { celsius += d }
        }
        var t = Temperature.freezing
        t.warm(by: 10)
        t.fahrenheit = 212
        print(t.celsius, Temperature.freezing.fahrenheit, t)
        """), "100.0 32.0 Temperature(celsius: 100.0)\n")
    }

    func testEnumsWithRawAndAssociatedValues() {
        XCTAssertEqual(output("""
        enum Planet: Int { case mercury = 1, venus, earth }
        enum Shape { case circle(radius: Double), square(Double) }
        func area(_ s: Shape) -> Double {
            switch s {
            case .circle(let r): return 3 * r * r
            case .square(let side): return side * side
            }
        }
        print(Planet.earth.rawValue, Planet(rawValue: 2)!, area(.circle(radius: 1)), area(Shape.square(2)))
        """), "3 venus 3.0 4.0\n")
    }

    func testClassesAreSharedReferences() {
        XCTAssertEqual(output("""
        class Animal {
            var name: String
            init(name: String) { self.name = name }
            func speak() -> String { "..." }
            func intro() -> String { name + " says " + speak() }
        }
        class Dog: Animal { override func speak() -> String { "woof" } }
        let d = Dog(name: "Rex")
        let alias = d
        alias.name = "Max"
        print(d.intro(), d is Animal, d === alias, d)
        """), "Max says woof true true main.Dog\n")
    }

    func testCustomStringConvertibleIsUsedByPrintAndInterpolation() {
        XCTAssertEqual(output("""
        struct Money: CustomStringConvertible {
            var cents: Int
            var description: String { "$\\(cents / 100).\\(cents % 100)" }
        }
        let m = Money(cents: 1234)
        print(m, [m], "total \\(m)")
        """), "$12.34 [$12.34] total $12.34\n")
    }

    func testUnknownNamesFailAtRunTimeSoEarlierStatementsRun() throws {
        let t = TestSession()
        let outcome = t.run("let early = 1\nprint(undefinedThing)")
        XCTAssertTrue(try XCTUnwrap(outcome.error).message.contains("cannot find 'undefinedThing' in scope"))
        XCTAssertEqual(t.run("early").result, "1")
    }

    func testFunctionsCanUseGlobalsDefinedInLaterCells() {
        let t = TestSession()
        t.run("func describe() -> String { \"rate \\(rate)\" }")
        t.run("let rate = 0.1")
        XCTAssertEqual(t.run("describe()").result, "\"rate 0.1\"")
    }
}
