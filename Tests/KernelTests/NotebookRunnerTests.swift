import Foundation
import Kernel
import TextFormats
import XCTest

final class NotebookRunnerTests: XCTestCase {
    func testSwiftLiteralsForParameters() {
        XCTAssertEqual(SwiftLiteral.literal(["a", 1, 2.5, true, nil]), #"["a", 1, 2.5, true, nil]"#)
        XCTAssertEqual(SwiftLiteral.literal(["k": ["x": 1], "e": [:]]), #"["e": [:], "k": ["x": 1]]"#)
        XCTAssertEqual(SwiftLiteral.quoted("say \"hi\"\n\\"), #""say \"hi\"\n\\""#)
        XCTAssertEqual(SwiftLiteral.literal(.double(3)), "3.0")
        XCTAssertEqual(SwiftLiteral.literal(.double(.nan)), "Double.nan")
    }

    func testParameterParsingFollowsPapermill() throws {
        let parsed = try NotebookRunOptions.parameters(from: ["n=3", "rate=0.5", "flag=True", "name=hello world", "none=None", "list=[1,2]"])
        XCTAssertEqual(parsed.map(\.name), ["n", "rate", "flag", "name", "none", "list"])
        XCTAssertEqual(parsed.map(\.value), [3, 0.5, true, "hello world", nil, [1, 2]])
        XCTAssertThrowsError(try NotebookRunOptions.parameters(from: ["no-equals"]))
        XCTAssertThrowsError(try NotebookRunOptions.parameters(from: ["1bad=2"]))
        XCTAssertEqual(
            SwiftLiteral.parameterCell([("alpha", 0.5), ("tags", ["a", "b"])]),
            "// Parameters\nlet alpha = 0.5\nlet tags = [\"a\", \"b\"]")
    }

    private func notebook(_ cells: [JSONValue]) throws -> String {
        let path = NSTemporaryDirectory() + "runner-\(UUID().uuidString).ipynb"
        let json: JSONValue = ["nbformat": 4, "nbformat_minor": 4, "metadata": [:], "cells": .array(cells)]
        try Data(JSONWriter().bytes(json)).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func code(_ source: String, tags: [String] = []) -> JSONValue {
        ["cell_type": "code", "source": .string(source), "metadata": ["tags": .array(tags.map { .string($0) })], "outputs": [], "execution_count": nil]
    }

    private func load(_ path: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    func testRunsCellsInjectsParametersAndStopsAtTheFirstError() throws {
        let input = try notebook([
            code("let alpha = 1", tags: ["parameters"]),
            code("print(\"alpha\", alpha)\nprint(\"more\")"),
            code("alpha * 2"),
            code("let bad = [1][3]"),
            code("print(\"unreached\")"),
        ])
        let output = input + ".out"
        let options = NotebookRunOptions(parameters: [("alpha", 21)], outputPath: output)
        let report = try NotebookRunner(options: options).run(notebookAt: input)
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.failure?.cellIndex, 4)
        let result = try load(output)
        XCTAssertEqual(result["nbformat_minor"], 5)
        let cells = result["cells"]?.arrayValue ?? []
        XCTAssertEqual(cells.count, 6)
        XCTAssertEqual(cells[1]["metadata"]?["tags"], ["injected-parameters"])
        XCTAssertEqual(cells[2]["outputs"], [["output_type": "stream", "name": "stdout", "text": "alpha 21\nmore\n"]])
        XCTAssertEqual(cells[3]["outputs"]?.arrayValue?.first?["data"]?["text/plain"], "42")
        XCTAssertEqual(cells[4]["outputs"]?.arrayValue?.first?["output_type"], "error")
        XCTAssertEqual(cells[5]["execution_count"], .null)
        for cell in cells { XCTAssertFalse(cell.string("id").isEmpty) }
    }

    func testAllowErrorsRunsEverythingAndUpdatesDisplays() throws {
        let input = try notebook([
            code("let handle = display(\"first\", id: \"p\")"),
            code("let bad = [1][3]"),
            code("handle.update(\"second\")\nclearOutput()\nprint(\"after\")"),
        ])
        let output = input + ".out"
        let report = try NotebookRunner(options: NotebookRunOptions(outputPath: output, allowErrors: true)).run(notebookAt: input)
        XCTAssertTrue(report.succeeded)
        XCTAssertEqual(report.toleratedErrors, 1)
        let cells = try load(output)["cells"]?.arrayValue ?? []
        XCTAssertEqual(cells[0]["outputs"]?.arrayValue?.first?["data"]?["text/plain"], "second")
        XCTAssertEqual(cells[2]["outputs"], [["output_type": "stream", "name": "stdout", "text": "after\n"]])
    }
}
