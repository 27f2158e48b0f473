import Foundation
import XCTest
import Runtime

/// `Dataset` in cells: loading, row operations, prompts, display, and errors that keep the session.
final class PreludeDatasetTests: XCTestCase {
    func testSampleLoadsFiltersAndMaps() {
        let t = TestSession()
        XCTAssertNil(t.run(#"let data = try Dataset.json("data/medical-o1-sample.json")"#).error)
        XCTAssertEqual(t.run("print(data.count, data.columns)").stdout, #"310 ["Question", "Complex_CoT", "Response", "split"]"# + "\n")
        XCTAssertNil(t.run(#"""
            let test = data.filter { $0["split"] == "test" }
            let prompts = test.map { ["prompt": chat(system: "Be brief.", user: $0["Question"]), "answer": $0["Response"]] }
            """#).error)
        XCTAssertEqual(t.run("print(test.count, prompts.columns)").stdout, #"31 ["answer", "prompt"]"# + "\n")
        let messages = t.run(#"let first = prompts[0]["prompt"] as? [[String: String]]; print(first![0]["role"]!, first![1]["role"]!)"#)
        XCTAssertEqual(messages.stdout, "system user\n", messages.error?.description ?? "")
    }

    func testOperationsAndIteration() {
        let t = TestSession()
        t.run(#"let d = Dataset([["n": 1, "s": "a"], ["n": 2, "s": "b"], ["n": 3, "s": "c"], ["n": 4, "s": "d"]])"#)
        XCTAssertEqual(t.run("var total = 0; for row in d { total += row[\"n\"] as? Int ?? 0 }; print(total)").stdout, "10\n")
        XCTAssertEqual(t.run(#"print(d.select(1..<3).column("s"))"#).stdout, #"["b", "c"]"# + "\n")
        XCTAssertEqual(t.run(#"print(d.select(1...3).count, d.head(2).count)"#).stdout, "3 2\n")
        XCTAssertEqual(t.run(#"print(d.rename(from: "s", to: "letter").columns, d.removeColumns(["s"]).columns)"#).stdout,
                       #"["n", "letter"] ["n"]"# + "\n")
        XCTAssertEqual(t.run("let parts = d.split(testFraction: 0.25, seed: 1); print(parts.train.count, parts.test.count)").stdout, "3 1\n")
        XCTAssertEqual(t.run("print(d.shuffled(seed: 5).column(\"n\") == d.shuffled(seed: 5).column(\"n\"))").stdout, "true\n")
        XCTAssertEqual(t.run(#"print(d.textPrompt(template: "Letter {s}").column("prompt")[0]!)"#).stdout, "Letter a\n")
        XCTAssertEqual(t.run("print(Dataset.medcalc(count: 17, seed: 2).count)").stdout, "17\n")
    }

    func testDisplayIsATableOfTheFirstRows() throws {
        let sink = MemorySink()
        let session = Session(output: sink)
        _ = session.execute(#"let data = try Dataset.json("data/medical-o1-sample.json")"#)
        let bundle = try XCTUnwrap(try session.execute("data").get())
        XCTAssertTrue(bundle.data["text/html"]?.contains("<table") ?? false)
        XCTAssertTrue(bundle.data["text/html"]?.contains("First 10 of 310 rows") ?? false)
        XCTAssertTrue(bundle.plainText.contains("Question"))
        let head = try XCTUnwrap(try session.execute("data.head(2)").get())
        XCTAssertTrue(head.plainText.hasSuffix("2 rows × 4 columns"), head.plainText)
    }

    func testMalformedFilesGiveLineNumberedCatchableErrorsAndKeepTheSession() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prelude-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("bad.csv").path
        try "a,b\n1,\"unterminated\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let json = directory.appendingPathComponent("bad.json").path
        try "[{\"a\": 1},\n {\"a\": }]".write(toFile: json, atomically: true, encoding: .utf8)

        let t = TestSession()
        t.run("let kept = 42")
        let caught = t.run("do { _ = try Dataset.csv(\"\(csv)\") } catch { print(error) }")
        XCTAssertNil(caught.error)
        XCTAssertTrue(caught.stdout.contains("bad.csv:2:"), caught.stdout)
        let uncaught = t.run("let d = try Dataset.json(\"\(json)\")")
        XCTAssertTrue(uncaught.error?.message.contains("bad.json:2:") ?? false, "\(String(describing: uncaught.error))")
        XCTAssertTrue(t.run(#"_ = try Dataset.json("no/such/file.json")"#).error?.message.contains("No dataset file") ?? false)
        XCTAssertEqual(t.run("print(kept)").stdout, "42\n")
    }

    func testWrongRowsAreClearErrors() {
        let t = TestSession()
        t.run(#"let d = Dataset([["n": 1]])"#)
        XCTAssertTrue(t.run("d.map { _ in 5 }").error?.message.contains("must return a [String: …] dictionary") ?? false)
        XCTAssertTrue(t.run("d.filter { _ in 5 }").error?.message.contains("must return a Bool") ?? false)
        XCTAssertTrue(t.run("d[3]").error?.message.contains("out of range") ?? false)
        XCTAssertTrue(t.run(#"d.rename(from: "x", to: "y")"#).error?.message.contains("No column 'x'") ?? false)
    }

    func testWriteRoundTrips() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prelude-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = TestSession()
        XCTAssertNil(t.run("try Dataset.medcalc(count: 5, seed: 3).write(to: \"\(path)\")").error)
        XCTAssertEqual(t.run("print(try Dataset.jsonl(\"\(path)\").count)").stdout, "5\n")
    }
}
