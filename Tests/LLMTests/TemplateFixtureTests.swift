import Foundation
import LLM
import XCTest

/// Tests/Fixtures/chat_templates.json (made with transformers' renderer): every model-template
/// case byte for byte, and every single-feature snippet.
final class TemplateFixtureTests: XCTestCase {
    private func fixture() throws -> TemplateDictionary {
        let url = LoadingTestPaths.packageFixtures.appendingPathComponent("chat_templates.json")
        // Parsed as a TemplateValue so key order (visible through tojson) is kept.
        guard case let .dictionary(d) = try TemplateValue(parsingJSON: String(contentsOf: url, encoding: .utf8)) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return d
    }

    func testEveryModelTemplateCase() throws {
        let fixture = try fixture()
        guard case let .dictionary(templates)? = fixture["templates"], case let .array(cases)? = fixture["cases"] else {
            return XCTFail("fixture lacks templates/cases")
        }
        var compiled = [String: ChatTemplate]()
        for (name, entry) in templates.pairs {
            guard case let .dictionary(t) = entry, case let .string(source)? = t["source"] else { return XCTFail(name) }
            compiled[name] = try ChatTemplate(source: source)
        }
        XCTAssertNotNil(compiled["llama-3.1"])
        XCTAssertNotNil(compiled["qwen2.5"])
        XCTAssertGreaterThan(cases.count, 10)
        for value in cases {
            guard case let .dictionary(c) = value, case let .string(name)? = c["template"],
                  let template = compiled[name], case let .array(messages)? = c["messages"],
                  case let .dictionary(t)? = templates[name], case let .dictionary(context)? = t["context"] else {
                return XCTFail("malformed case \(value.repr.prefix(80))")
            }
            let label = "\(name) / \(c["name"]?.text ?? "?")"
            var extra = [String: TemplateValue]()
            for (key, v) in context.pairs where key != "bos_token" && key != "eos_token" { extra[key] = v }
            do {
                let text = try template.render(
                    messages: messages, addGenerationPrompt: c["add_generation_prompt"]?.isTruthy ?? false,
                    bosToken: context["bos_token"]?.text, eosToken: context["eos_token"]?.text,
                    tools: c["tools"]?.elements, extra: extra)
                XCTAssertEqual(text, c["text"]?.text, label)
                if c["text"] == nil { XCTFail("\(label): expected the error \(c["error"]?.text ?? "")") }
            } catch let error as TemplateError {
                // error_type "TemplateError" means raise_exception; other types are other failures.
                guard let expected = c["error"]?.text else { XCTFail("\(label): \(error)"); continue }
                if c["error_type"]?.text == "TemplateError" {
                    XCTAssertEqual(error, .raised(message: expected), label)
                }
            }
        }
    }

    func testEverySingleFeatureSnippet() throws {
        guard case let .array(snippets)? = try fixture()["snippets"] else { return XCTFail("fixture lacks snippets") }
        XCTAssertGreaterThan(snippets.count, 20)
        for value in snippets {
            guard case let .dictionary(s) = value, case let .string(source)? = s["template"],
                  case let .dictionary(context)? = s["context"] else { return XCTFail("malformed snippet") }
            var variables = [String: TemplateValue]()
            for (k, v) in context.pairs { variables[k] = v }
            do {
                let text = try ChatTemplate(source: source).render(context: variables)
                XCTAssertEqual(text, s["text"]?.text, source)
                if s["text"] == nil { XCTFail("\(source): expected the error \(s["error"]?.text ?? "")") }
            } catch let error as TemplateError {
                guard let expected = s["error"]?.text else { XCTFail("\(source): \(error)"); continue }
                if s["error_type"]?.text == "TemplateError" { XCTAssertEqual(error, .raised(message: expected), source) }
            }
        }
    }

    func testErrorsAreTyped() {
        XCTAssertThrowsError(try ChatTemplate(source: "{% if x %}")) {
            guard case .syntax? = $0 as? TemplateError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ChatTemplate(source: "{{ 'a' + undefined_thing }}").render(context: [:])) {
            guard case .runtime? = $0 as? TemplateError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ChatTemplate(source: "{{ x | nosuchfilter }}").render(context: [:]))
        XCTAssertThrowsError(try ChatTemplate(source: "{{ 'unterminated }}"))
        XCTAssertEqual(try ChatTemplate(source: "{{ strftime_now('%Y') }}").render(context: [:]).count, 4)
    }
}
