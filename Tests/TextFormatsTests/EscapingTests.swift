import TextFormats
import XCTest

final class EscapingTests: XCTestCase {
    func testJSONStringsEscapeWhatJSONRequires() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} \u{8}\u{c} é 😀 \u{2028}"
        XCTAssertEqual(JSONString.quoted(text), "\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 \\b\\f é 😀 \u{2028}\"")
        XCTAssertEqual(JSONString.quoted("\u{85}\u{2028}", escapingLineSeparators: true), #""\u0085\u2028""#)
        XCTAssertEqual(try JSONParser.parse(JSONString.quoted(text)), .string(text))
    }

    func testHTMLSwiftAndPythonLiterals() {
        XCTAssertEqual(HTMLText.escape("<a href=\"x\">Tom & 'Jerry'</a>"),
                       "&lt;a href=&#34;x&#34;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        XCTAssertEqual(SwiftLiteral.quoted("say \"hi\"\n\\\u{0}\u{1}"), #""say \"hi\"\n\\\0\u{1}""#)
        XCTAssertEqual(PythonLiteral.quoted("it's"), #""it's""#)
        XCTAssertEqual(PythonLiteral.quoted("a'b\"c\n\u{1}"), #"'a\'b"c\n\x01'"#)
    }
}
