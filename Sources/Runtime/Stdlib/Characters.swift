import Foundation

/// Character properties (on one-character strings), the Character and CharacterSet types.
extension StandardLibrary {
    static func registerCharacters(in registry: NativeRegistry) {
        registry.type("String") { type in
            let tests: [(String, String, (Character) -> Bool)] = [
                ("isLetter", "Whether the character is a letter.", { $0.isLetter }),
                ("isNumber", "Whether the character is a number (digits and other numerals).", { $0.isNumber }),
                ("isWholeNumber", "Whether the character is a whole number digit.", { $0.isWholeNumber }),
                ("isWhitespace", "Whether the character is whitespace (spaces, tabs, newlines).", { $0.isWhitespace }),
                ("isNewline", "Whether the character is a newline.", { $0.isNewline }),
                ("isUppercase", "Whether the character is uppercase.", { $0.isUppercase }),
                ("isLowercase", "Whether the character is lowercase.", { $0.isLowercase }),
                ("isPunctuation", "Whether the character is punctuation.", { $0.isPunctuation }),
                ("isSymbol", "Whether the character is a symbol.", { $0.isSymbol }),
                ("isASCII", "Whether the character is ASCII.", { $0.isASCII }),
                ("isHexDigit", "Whether the character is a hexadecimal digit.", { $0.isHexDigit }),
                ("isCased", "Whether the character changes under case mapping.", { $0.isCased }),
            ]
            for (name, doc, test) in tests {
                type.property(name, "Bool", doc: doc + " (Character)") { value in .bool(test(try character(value))) }
            }
            type.property("asciiValue", "UInt8?", doc: "The ASCII code of the character, or nil. (Character)") { value in
                .optional(try character(value).asciiValue.map { .int(Int($0)) })
            }
            type.property("wholeNumberValue", "Int?", doc: "The digit's value (\"7\" → 7), or nil. (Character)") { value in
                .optional(try character(value).wholeNumberValue.map { .int($0) })
            }
            type.property("hexDigitValue", "Int?", doc: "The hexadecimal digit's value, or nil. (Character)") { value in
                .optional(try character(value).hexDigitValue.map { .int($0) })
            }
        }

        registry.type("Character", doc: "A single user-perceived character (a one-character String here).") { type in
            type.initializer([.positional("value")], doc: "Character(\"a\"): a character from a one-character string.") { call in
                let text = call.context.describe(call["value"])
                guard text.count == 1 else {
                    throw call.error("can't form a Character from a String containing \(text.count) characters")
                }
                return .string(text)
            }
        }
        registry.type("UnicodeScalar", doc: "A Unicode scalar value (a one-scalar String here).") { type in
            type.initializer([.positional("value", "Int")], doc: "UnicodeScalar(98): the scalar with that code point.") { call in
                let code = try call.int("value")
                guard code >= 0, code <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(code)) else {
                    throw call.error("\(code) is not a Unicode scalar value")
                }
                return .string(String(Character(scalar)))
            }
            type.property("value", "UInt32", doc: "The scalar's code point.") { value in
                guard let scalar = try string(value).unicodeScalars.first else { throw RuntimeError("empty scalar") }
                return .int(Int(scalar.value))
            }
        }
        registry.type("CharacterSet", doc: "A set of characters for trimming and splitting.") { type in
            type.initializer([.labeled("charactersIn", "String")], doc: "The set of the characters in the string.") { call in
                .object(CharacterSetValue(CharacterSet(charactersIn: try call.string("charactersIn"))))
            }
            for (name, set) in CharacterSetValue.named {
                type.staticProperty(name, "CharacterSet", doc: "The \(name) character set.") { .object(CharacterSetValue(set)) }
            }
            type.method("contains", [.positional("character", "Character")], returns: "Bool",
                        doc: "Whether every scalar of the character is in the set.") { call in
                let set = try call.receiver(as: CharacterSetValue.self).set
                return .bool(try call.string("character").unicodeScalars.allSatisfy { set.contains($0) })
            }
            type.method("union", [.positional("other", "CharacterSet")], returns: "CharacterSet",
                        doc: "The characters in either set.") { call in
                let set = try call.receiver(as: CharacterSetValue.self).set
                return .object(CharacterSetValue(set.union(try characterSet(call["other"], call))))
            }
        }
    }

    /// A one-character string as a Character, or a runtime error.
    static func character(_ value: Value) throws -> Character {
        let text = try string(value)
        guard text.count == 1, let character = text.first else {
            throw RuntimeError("this property needs a Character, got a String of \(text.count) characters", kind: .typeMismatch)
        }
        return character
    }
}
