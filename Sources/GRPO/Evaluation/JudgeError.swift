/// Why judging (or an evaluation) could not go on. Messages say what to do next and never
/// contain an API key.
public enum JudgeError: Error, CustomStringConvertible, Equatable {
    /// The environment variable named for the API key is not set.
    case missingAPIKey(variable: String)
    /// The server refused the key (401/403).
    case unauthorized(url: String, status: Int, variable: String?)
    /// The URL or the model does not exist on the server (404).
    case notFound(url: String, model: String)
    /// The server kept answering with an error status after every retry.
    case serverError(url: String, status: Int, attempts: Int, body: String)
    /// The server could not be reached, or did not answer in time, after every retry.
    case connection(url: String, attempts: Int, reason: String)
    /// The server answered 200 with something that is not a chat completion, after every retry.
    case malformedResponse(url: String, attempts: Int, excerpt: String)
    /// A setting is out of range or a URL cannot be used.
    case invalidSetting(String)
    /// The judge prompt cannot be used.
    case invalidPrompt(String)
    /// The judge's prompt does not fit its context.
    case promptTooLong(tokens: Int, context: Int)
    /// The run was interrupted.
    case cancelled

    public var description: String {
        switch self {
        case let .missingAPIKey(variable):
            return "The environment variable \(variable) (named for the judge's API key) is not set; export it, or name "
                + "another variable, or leave the key out for servers that need none (llama.cpp, vLLM)."
        case let .unauthorized(url, status, variable):
            let key = variable.map { "the key in $\($0)" } ?? "a key (none was sent; name the variable that holds it)"
            return "The judge server at \(url) refused the request (HTTP \(status)); check \(key)."
        case let .notFound(url, model):
            return "The judge server answered 404 for \(url) with model \"\(model)\"; check the base URL (OpenAI-compatible "
                + "servers serve /v1/chat/completions) and that the server has this model."
        case let .serverError(url, status, attempts, body):
            return "The judge server at \(url) answered HTTP \(status) \(attempts) times\(body.isEmpty ? "" : " (\(body))"); "
                + "try again later, lower the concurrency, or raise the retries."
        case let .connection(url, attempts, reason):
            return "Could not get an answer from the judge server at \(url) after \(attempts) attempts (\(reason)); check "
                + "that it is running, or raise the timeout."
        case let .malformedResponse(url, attempts, excerpt):
            return "The judge server at \(url) did not answer with a chat completion (\(attempts) attempts; it sent: "
                + "\(excerpt)); check that the URL is an OpenAI-compatible endpoint."
        case let .invalidSetting(message), let .invalidPrompt(message):
            return message
        case let .promptTooLong(tokens, context):
            return "The judge prompt is \(tokens) tokens but the judge model's context is \(context); shorten the template "
                + "or the answers (maxNewTokens), or use a judge with a longer context."
        case .cancelled:
            return "The evaluation was interrupted; run it again with resume to continue where it stopped."
        }
    }

    /// Errors that no retry or later case can fix: the whole evaluation stops on them.
    public var stopsEvaluation: Bool {
        switch self {
        case .missingAPIKey, .unauthorized, .notFound, .invalidSetting, .invalidPrompt, .cancelled: return true
        default: return false
        }
    }
}
