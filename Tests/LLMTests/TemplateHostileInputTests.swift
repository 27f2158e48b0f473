import Foundation
import LLM
import XCTest

/// Chat templates found by `swift-grpo fuzz chat-template` (and its snippet list) that hung,
/// exhausted memory, overflowed the stack or trapped. A template comes from a model file, so
/// each must now be a `TemplateError`.
final class TemplateHostileInputTests: XCTestCase {
    private func renderError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            let template = try ChatTemplate(source: source)
            _ = try template.render(messages: [["role": "user", "content": "hi"]], addGenerationPrompt: true)
            XCTFail("expected an error for \(source.prefix(60))", file: file, line: line)
            return nil
        } catch let error as TemplateError {
            return error.description
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    func testHugeRepetitionsRangesAndIndentsAreErrors() {
        XCTAssertTrue(renderError("{{ 'a' * 1000000000 }}")?.contains("limit is 16777216") ?? false)
        XCTAssertTrue(renderError("{{ [1] * 1000000000 }}")?.contains("repeated list") ?? false)
        XCTAssertTrue(renderError("{% for i in range(1000000000) %}{% endfor %}")?.contains("range()") ?? false)
        XCTAssertNotNil(renderError("{{ range(-9223372036854775807, 9223372036854775807) }}"))
        XCTAssertTrue(renderError("{{ messages|tojson(indent=1000000000) }}")?.contains("indent 1000000000") ?? false)
        XCTAssertTrue(renderError("{{ 'a'|indent(-5) }}")?.contains("indent -5") ?? false)
        XCTAssertTrue(renderError("{% for i in range(3000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}")?
            .contains("does not terminate") ?? false)
        XCTAssertTrue(renderError("{% set ns = namespace(x=[1]) %}{% for i in range(64) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x|tojson }}")?
            .contains("tojson output") ?? false)
    }

    func testRecursionIsBounded() {
        XCTAssertTrue(renderError("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}")?.contains("nested more than 64") ?? false)
        for deep in [String(repeating: "(", count: 10_000) + "1", String(repeating: "{% if true %}", count: 3_000),
                     String(repeating: "[", count: 5_000), String(repeating: "not ", count: 5_000) + "x",
                     String(repeating: "-", count: 5_000) + "1"] {
            let source = deep.hasPrefix("{%") ? deep : "{{ \(deep) }}"
            XCTAssertTrue(renderError(source)?.contains("nested more than 200") ?? false, String(source.prefix(30)))
        }
    }

    /// Integer arithmetic trapped converting an out-of-range Double back to Int.
    func testIntegerOverflowIsAnError() throws {
        for source in ["{{ 2 ** 100000 }}", "{{ 9223372036854775807 + 1 }}", "{{ true + 9223372036854775807 }}",
                       "{{ -9223372036854775807 - 2 }}", "{{ 4611686018427387904 * 2 }}", "{{ (-9223372036854775807 - 1) // -1 }}",
                       "{{ '%d' % 1e300 }}", "{{ 1e300|int }}", "{{ '1e400'|int }}"] {
            XCTAssertNotNil(renderError(source), source)
        }
        // Exact integer results that the old Double path got wrong or trapped on.
        let template = try ChatTemplate(source: "{{ 2 ** 62 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 9007199254740993 + 0 }}")
        XCTAssertEqual(try template.render(context: [:]), "4611686018427387904 -4 2 -2 9007199254740993")
    }
}
