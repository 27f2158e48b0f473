/// A one-line glimpse of a prompt for a collapsed header: chat-template markers such as
/// `<|im_start|>` dropped, whitespace collapsed, and the end kept (where the question is).
enum PromptPreview {
    private static let roles = ["system", "user", "assistant", "model", "developer", "tool"]

    static func line(_ prompt: String, maxCharacters: Int = 160) -> String {
        var text = ""
        var rest = Substring(prompt)
        while let open = rest.range(of: "<|") {
            text += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "|>") else {
                rest = rest[open.lowerBound...]
                break
            }
            text += " "
            rest = rest[close.upperBound...]
            // The role name a chat template writes after its marker ("user\n") is not prompt text.
            for role in roles where rest.hasPrefix(role + "\n") {
                rest = rest.dropFirst(role.count + 1)
                break
            }
        }
        text += rest
        let words = text.split(whereSeparator: \.isWhitespace)
        // A template's trailing role name ("assistant") says nothing about the prompt.
        let trimmed = words.last.map { (roles + ["Assistant:"]).contains(String($0)) } == true
            ? words.dropLast() : words[...]
        let collapsed = trimmed.joined(separator: " ")
        guard collapsed.count > maxCharacters else { return collapsed }
        return "…" + collapsed.suffix(maxCharacters - 1)
    }
}
