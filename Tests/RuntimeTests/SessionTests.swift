import Foundation
import Runtime
import XCTest

/// The engine's session behaviour: persistence, shadowing, failures, results, history, interrupts.
final class SessionTests: XCTestCase {
    func testBindingsPersistAcrossCells() {
        let t = TestSession()
        t.run("var total = 40")
        t.run("func addTwo(_ x: Int) -> Int { x + 2 }")
        XCTAssertEqual(t.run("addTwo(total)").result, "42")
    }

    func testLaterDeclarationsShadowEarlierOnes() {
        let t = TestSession()
        t.run("let x = 1")
        XCTAssertNil(t.run("let x = \"now a string\"").error)
        XCTAssertEqual(t.run("x").result, "\"now a string\"")
        t.run("func f() -> Int { 1 }")
        t.run("func f() -> Int { 2 }")
        XCTAssertEqual(t.run("f()").result, "2")
        t.run("struct P { var a: Int }")
        t.run("struct P { var a: Int; var b: Int }")
        XCTAssertEqual(t.run("P(a: 1, b: 2)").result, "P(a: 1, b: 2)")
    }

    func testRerunningACellNeverFailsOnRedefinition() {
        let t = TestSession()
        let cell = "let rate = 0.5\nvar steps = [Int]()\nstruct Config { var lr: Double }\nenum Mode { case fast, slow }"
        XCTAssertNil(t.run(cell).error)
        XCTAssertNil(t.run(cell).error)
        XCTAssertEqual(t.run("Config(lr: rate).lr").result, "0.5")
    }

    func testAFailingCellKeepsBindingsMadeBeforeTheFailure() {
        let t = TestSession()
        let outcome = t.run("var a = 1\na = 2\nprint(\"before\")\nlet b = a / 0\na = 3")
        XCTAssertEqual(outcome.stdout, "before\n")
        XCTAssertEqual(outcome.error?.name, "RuntimeError")
        XCTAssertEqual(t.run("a").result, "2")
        XCTAssertNotNil(t.run("b").error, "b was never defined")
    }

    func testErrorsNameCellLineAndColumnWithACaret() throws {
        let t = TestSession()
        t.run("1")
        let error = try XCTUnwrap(t.run("let xs = [1, 2, 3]\nprint(xs[5])").error)
        XCTAssertEqual(error.traceback.count, 3)
        XCTAssertTrue(error.traceback[0].hasPrefix("Cell [2], line 2, column "), error.traceback[0])
        XCTAssertTrue(error.message.contains("Index out of range"), error.message)
        XCTAssertEqual(error.traceback[1], "print(xs[5])")
        XCTAssertTrue(error.traceback[2].hasSuffix("^"))
    }

    func testParseErrorsRunNothing() throws {
        let t = TestSession()
        let outcome = t.run("print(\"never\")\nlet = 5")
        XCTAssertEqual(outcome.stdout, "")
        XCTAssertEqual(outcome.error?.name, "ParseError")
    }

    func testResultsUseTheDebugForm() {
        let t = TestSession()
        XCTAssertEqual(t.run("\"abc\"").result, "\"abc\"")
        XCTAssertEqual(t.run("1.0").result, "1.0")
        XCTAssertEqual(t.run("[\"a\", \"b\"]").result, "[\"a\", \"b\"]")
        XCTAssertEqual(t.run("Optional(5)").result, "Optional(5)")
        XCTAssertNil(t.run("let y = 3").result)
        XCTAssertNil(t.run("print(1)").result)
    }

    func testExecutionCountAndHistory() {
        let t = TestSession()
        t.run("1 + 1")
        t.run("1 / 0")
        _ = t.session.execute("3", storeHistory: false)
        XCTAssertEqual(t.session.executionCount, 2)
        XCTAssertEqual(t.session.history.map(\.line), [1, 2])
        XCTAssertEqual(t.session.history[0].output, "2")
        XCTAssertNil(t.session.history[1].output)
        XCTAssertEqual(t.session.history[1].input, "1 / 0")
    }

    func testImportsAreAccepted() {
        let t = TestSession()
        XCTAssertNil(t.run("import Foundation\nimport Darwin").error)
    }

    func testRecursionDepthIsAnErrorNotACrash() throws {
        let t = TestSession()
        let error = try XCTUnwrap(t.run("func down(_ n: Int) -> Int { down(n + 1) }\ndown(0)").error)
        XCTAssertTrue(error.message.contains("recursion depth"), error.message)
        XCTAssertEqual(t.run("1 + 1").result, "2", "the session keeps working")
    }

    // MARK: - Interrupts

    func testInterruptStopsAnInfiniteLoopQuicklyAndStateSurvives() {
        let t = TestSession()
        t.run("var spins = 0")
        let (outcome, latency) = t.runInterrupted("while true { spins += 1 }", after: 0.3)
        XCTAssertEqual(outcome.error?.name, "InterruptError")
        XCTAssertLessThan(latency, 0.5, "interrupt took \(latency) s")
        XCTAssertEqual(t.run("spins > 0").result, "true")
        XCTAssertFalse(t.session.isInterruptRequested)
    }

    func testInterruptStopsDeepRecursion() {
        let t = TestSession()
        t.run("""
        func fib(_ n: Int) -> Int { n < 2 ? n : fib(n - 1) + fib(n - 2) }
        func deep(_ n: Int) -> Int { n == 0 ? fib(80) : deep(n - 1) + 1 }
        """)
        let (outcome, latency) = t.runInterrupted("deep(3000)", after: 0.3)
        XCTAssertEqual(outcome.error?.name, "InterruptError")
        XCTAssertLessThan(latency, 0.5, "interrupt took \(latency) s")
        XCTAssertEqual(t.run("fib(10)").result, "55")
    }

    func testInterruptIsCatchable() {
        let t = TestSession()
        let (outcome, _) = t.runInterrupted("""
        var n = 0
        do {
            while true { n += 1 }
        } catch {
            print("caught:", error is InterruptError)
        }
        """, after: 0.2)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.stdout, "caught: true\n")
    }
}
