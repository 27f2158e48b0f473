import Foundation
import LLM
import XCTest

/// The Jinja features chat templates use, each checked against what Jinja2 (as configured by
/// transformers: trim_blocks, lstrip_blocks, loopcontrols) prints.
final class TemplateFeatureTests: XCTestCase {
    private func render(_ source: String, _ context: [String: TemplateValue] = [:], file: StaticString = #filePath,
                        line: UInt = #line) -> String {
        do {
            return try ChatTemplate(source: source).render(context: context)
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return ""
        }
    }

    private func json(_ text: String) -> TemplateValue { try! TemplateJSON.parse(text) }

    func testWhitespaceControlTrimAndLstripBlocks() {
        XCTAssertEqual(render("a  {{- 'b' -}}  c"), "abc")
        XCTAssertEqual(render("{% if true %}\nyes\n{% endif %}\nend"), "yes\nend")
        XCTAssertEqual(render("x\n    {% if true %}\n    y\n    {% endif %}\nz"), "x\n    y\nz")
        XCTAssertEqual(render("{% for i in [1, 2] %}\n  {{ i }}\n{% endfor %}\n"), "  1\n  2\n")
        XCTAssertEqual(render("a {% if true %}b{% endif %} c"), "a b c", "tags mid-line keep their spaces")
        XCTAssertEqual(render("  {%+ if true %}x{% endif %}"), "  x")
        XCTAssertEqual(render("{# note #}\nafter"), "after")
        XCTAssertEqual(render("line\n"), "line", "one trailing newline is dropped")
        XCTAssertEqual(render("{{ 'a' }}\n{{ 'b' }}"), "a\nb", "trim_blocks does not apply to {{ }}")
    }

    func testLoopsAndLoopVariable() {
        let source = "{% for m in messages %}{{ loop.index }}/{{ loop.length }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}{{ loop.cycle('a', 'b') }};{% endfor %}"
        XCTAssertEqual(render(source, ["messages": json("[1, 2, 3]")]), "1/3Fa;2/3b;3/3La;")
        XCTAssertEqual(render("{% for x in [1, 2, 3, 4] %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}"), "13")
        XCTAssertEqual(render("{% for x in [] %}a{% else %}empty{% endfor %}"), "empty")
        XCTAssertEqual(render("{% for k, v in d.items() %}{{ k }}={{ v }} {% endfor %}", ["d": json(#"{"b": 1, "a": 2}"#)]), "b=1 a=2 ")
        XCTAssertEqual(render("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{{ loop.length }}{% endfor %}"), "2242")
        XCTAssertEqual(render("{% for x in 'ab' %}{{ x }}.{% endfor %}"), "a.b.")
        XCTAssertEqual(render("{% for x in [1, 2] %}{{ loop.previtem is defined }}{{ loop.nextitem }}{% endfor %}"), "False2True")
    }

    func testScopingAndNamespace() {
        XCTAssertEqual(render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}"), "1")
        XCTAssertEqual(render("{% set ns = namespace(found=false, n=0) %}{% for i in [1, 2] %}{% set ns.found = true %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.found }} {{ ns.n }}"), "True 3")
        XCTAssertEqual(render("{% if true %}{% set y = 'in' %}{% endif %}{{ y }}"), "in")
        XCTAssertEqual(render("{% set a, b = 1, 2 %}{{ a + b }}"), "3")
        XCTAssertEqual(render("{% set block %}x{{ 1 }}{% endset %}[{{ block }}]"), "[x1]")
    }

    func testMacros() {
        let source = "{% macro tag(name, close=false) %}<{{ '/' if close }}{{ name }}>{% endmacro %}{{ tag('a') }}{{ tag('a', close=true) }}{{ tag('b', true) }}"
        XCTAssertEqual(render(source), "<a></a></b>")
    }

    func testOperatorsAndLiterals() {
        XCTAssertEqual(render("{{ 1 + 2 * 3 }} {{ 7 // 2 }} {{ 7 / 2 }} {{ -7 % 3 }} {{ 2 ** 3 }} {{ 1.5 + 1 }}"), "7 3 3.5 2 8 2.5")
        XCTAssertEqual(render("{{ 'a' ~ 1 ~ none }} {{ 'ab' + 'c' }} {{ [1] + [2] }}"), "a1None abc [1, 2]")
        XCTAssertEqual(render("{{ 'yes' if 1 < 2 and not false else 'no' }}|{{ 'x' if false }}|{{ 0 or 'fallback' }}"), "yes||fallback")
        XCTAssertEqual(render("{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in d }} {{ 3 not in [1] }}", ["d": json(#"{"k": 1}"#)]), "True True True True")
        XCTAssertEqual(render("{{ \"it's\" }} {{ 'tab\\there' }} {{ 'a' 'b' }}"), "it's tab\there ab")
        XCTAssertEqual(render("{{ {'a': 1, 'b': [true, none]} }}"), "{'a': 1, 'b': [True, None]}")
        XCTAssertEqual(render("{{ '%s and %d' % ('x', 3) }}"), "x and 3")
        XCTAssertEqual(render("{{ x }}|{{ x.y }}|{{ x is defined }}|{{ none is none }}"), "||False|True")
    }

    func testSubscriptsAndSlices() {
        let context = ["m": json(#"[{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]"#)]
        XCTAssertEqual(render("{{ m[0]['role'] }} {{ m[-1].content }} {{ m[1:] | length }} {{ (m[::-1] | first).role }}", context),
                       "system U 1 user")
        XCTAssertEqual(render("{{ 'hello'[1:3] }} {{ 'hello'[::-1] }} {{ [1, 2, 3, 4][::2] }} {{ 'abc'[-1] }}"), "el olleh [1, 3] c")
        XCTAssertEqual(render("{{ m[5] is defined }} {{ m[0].missing is defined }}", context), "False False")
    }

    func testFilters() {
        let tools = ["t": json(#"[{"name": "a", "x": 1}, {"name": "code_interpreter"}, {"name": "b"}]"#)]
        XCTAssertEqual(render("{{ '  hi  ' | trim }}|{{ 'Ab' | upper }}{{ 'Ab' | lower }}|{{ [1, 2] | length }}|{{ 'héé' | length }}"), "hi|ABab|2|3")
        XCTAssertEqual(render("{{ t | map(attribute='name') | reject('equalto', 'code_interpreter') | join(', ') }}", tools), "a, b")
        XCTAssertEqual(render("{{ t | selectattr('name', 'equalto', 'b') | list | length }} {{ [0, 1, 2] | select | list }}", tools), "1 [1, 2]")
        XCTAssertEqual(render("{{ x | default('d') }} {{ '' | default('e', true) }} {{ 'v' | d('no') }}"), "d e v")
        XCTAssertEqual(render("{{ d | dictsort }} {{ d | items | list }}", ["d": json(#"{"b": 1, "A": 2}"#)]), "[['A', 2], ['b', 1]] [['b', 1], ['A', 2]]")
        XCTAssertEqual(render("{{ [3, 1] | first }}{{ [3, 1] | last }} {{ 5 | string }}{{ [1] | string }} {{ 'a b' | title }} {{ 'ab' | capitalize }}"), "31 5[1] A B Ab")
        XCTAssertEqual(render("{{ 'a\nb' | indent(2) }}|{{ 'aXbX' | replace('X', '-') }}|{{ [2, 1, 2] | unique | sort | list }}"), "a\n  b|a-b-|[1, 2]")
    }

    func testToJSONMatchesPythonJSONDumps() {
        let value = json(#"{"name": "get_weather", "description": "Güte \"q\"\n", "parameters": {"type": "object", "properties": {"x": {"type": "number", "enum": [1, 2.5, -0.0, 1e-07]}}, "required": []}, "flag": true, "none": null}"#)
        XCTAssertEqual(render("{{ v | tojson }}", ["v": value]),
                       #"{"name": "get_weather", "description": "Güte \"q\"\n", "parameters": {"type": "object", "properties": {"x": {"type": "number", "enum": [1, 2.5, -0.0, 1e-07]}}, "required": []}, "flag": true, "none": null}"#)
        XCTAssertEqual(render("{{ v | tojson(indent=2) }}", ["v": json(#"{"a": [1, {}], "b": {"c": null}}"#)]),
                       "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}")
        XCTAssertEqual(render("{{ v | tojson(separators=(',', ':')) }}", ["v": json(#"{"a": [1, 2]}"#)]), #"{"a":[1,2]}"#)
    }

    func testStringAndDictMethods() {
        XCTAssertEqual(render("{{ '  x\n'.strip() }}|{{ '\nx\n'.lstrip('\n') }}|{{ 'xyy'.rstrip('y') }}|{{ 'a</think>b'.split('</think>')[-1] }}"), "x|x\n|x|b")
        XCTAssertEqual(render("{{ 'ab'.startswith('a') }} {{ 'ab'.endswith(('x', 'b')) }} {{ 'aXa'.replace('a', 'b') }} {{ 'hi there'.title() }} {{ ' a  b '.split() }}"), "True True bXb Hi There ['a', 'b']")
        XCTAssertEqual(render("{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 3) }} {{ d.keys() | list }} {{ d.values() | list }}", ["d": json(#"{"a": 1}"#)]), "1 None 3 ['a'] [1]")
        XCTAssertEqual(render("{{ ', '.join(['a', 'b']) }} {{ 'A'.lower() }}{{ 'a'.upper() }}"), "a, b aA")
    }

    func testTests() {
        XCTAssertEqual(render("{{ 'a' is string }}{{ 1 is string }}{{ d is mapping }}{{ [1] is iterable }}{{ 1 is number }}{{ false is false }}{{ true is true }}{{ 0 is false }}", ["d": json("{}")]),
                       "TrueFalseTrueTrueTrueTrueTrueFalse")
        XCTAssertEqual(render("{{ x is not none }} {{ none is not none }} {{ 3 is divisibleby(3) }} {{ 3 is odd }}"), "True False True True")
    }

    func testGlobalsAndErrors() {
        XCTAssertEqual(render("{% for i in range(3) %}{{ i }}{% endfor %}"), "012")
        let today = render("{{ strftime_now('%Y') }}")
        XCTAssertEqual(today.count, 4)
        XCTAssertThrowsError(try ChatTemplate(source: "{{ raise_exception('Only user and assistant roles') }}").render(context: [:])) {
            XCTAssertEqual($0 as? TemplateError, .raised(message: "Only user and assistant roles"))
        }
        XCTAssertThrowsError(try ChatTemplate(source: "{% if x %}")) {
            guard case .syntax? = $0 as? TemplateError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ChatTemplate(source: "{{ 'a' + undefined_thing }}").render(context: [:])) {
            guard case .runtime? = $0 as? TemplateError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ChatTemplate(source: "{{ x | nosuchfilter }}").render(context: [:]))
    }
}
