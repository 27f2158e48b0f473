import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LLM

/// A client for OpenAI-compatible `/chat/completions` endpoints (OpenAI, vLLM, llama.cpp's
/// server) on FoundationNetworking: a timeout per request, retries with exponential backoff on
/// 429, 5xx, malformed replies and connection errors (honouring `Retry-After`), and clear
/// errors for 401/403/404.
///
/// The API key is read once from the environment variable the caller names and is only ever
/// put in the `Authorization` header: it is not stored in settings, descriptions or errors.
public final class ChatCompletionClient: CustomStringConvertible, @unchecked Sendable {
    /// How the judge is asked to shape its reply. Free text works everywhere; the JSON forms
    /// constrain small models to a parseable reply where the server supports them.
    public enum ReplyFormat: String, Sendable, Equatable, CaseIterable {
        /// Free text in the prompt's format.
        case text
        /// `response_format: {"type": "json_schema", …}` (OpenAI, vLLM).
        case jsonSchema = "json-schema"
        /// `response_format: {"type": "json_object", "schema": …}` (llama.cpp's Python server).
        case jsonObject = "json-object"
    }

    public struct Settings: Sendable, Equatable {
        /// `http://host:port/v1` (or the full `…/chat/completions` URL; a bare `http://host:port`
        /// gets `/v1` added).
        public var baseURL: String
        public var model: String
        /// The environment variable holding the API key; nil sends no key.
        public var apiKeyVariable: String?
        /// Seconds to wait for one reply.
        public var timeout: Double = 120
        /// Further attempts after a failed one (429, 5xx, malformed, connection errors).
        public var retries: Int = 3
        /// Seconds before the first retry; doubled for each further one, at most `maxBackoff`.
        public var backoff: Double = 0.5
        public var maxBackoff: Double = 8
        /// Requests in flight at once.
        public var concurrency: Int = 4
        /// Sampling of the judge's reply (0 = greedy, the reproducible choice).
        public var temperature: Double = 0
        public var maxTokens: Int = 300
        public var replyFormat: ReplyFormat = .text

        public init(baseURL: String, model: String, apiKeyVariable: String? = nil) {
            self.baseURL = baseURL
            self.model = model
            self.apiKeyVariable = apiKeyVariable
        }
    }

    public let settings: Settings
    /// The endpoint requests go to (without any credentials the base URL held).
    public let endpoint: URL
    private let apiKey: String?
    private let session: URLSession

    /// Reads the key from `environment[settings.apiKeyVariable]` and checks the settings.
    public init(settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard settings.timeout > 0, settings.retries >= 0, settings.backoff >= 0, settings.maxBackoff >= 0,
              (1...64).contains(settings.concurrency), settings.maxTokens > 0 else {
            throw JudgeError.invalidSetting("Judge settings out of range: timeout > 0, retries ≥ 0, backoff ≥ 0, "
                                            + "concurrency 1…64 and maxTokens > 0 are needed.")
        }
        guard !settings.model.isEmpty else {
            throw JudgeError.invalidSetting("The judge needs a model name (the server's name for it, e.g. the GGUF's alias).")
        }
        endpoint = try Self.endpoint(for: settings.baseURL)
        if let variable = settings.apiKeyVariable {
            guard let key = environment[variable], !key.isEmpty else { throw JudgeError.missingAPIKey(variable: variable) }
            apiKey = key
        } else {
            apiKey = nil
        }
        self.settings = settings
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.timeout
        configuration.timeoutIntervalForResource = settings.timeout
        configuration.httpMaximumConnectionsPerHost = settings.concurrency
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public var description: String {
        "ChatCompletionClient(\(settings.model) at \(endpoint.absoluteString)\(apiKey == nil ? "" : ", key from $\(settings.apiKeyVariable ?? "")"))"
    }

    /// `…/chat/completions` for a base URL; userinfo is refused so that no secret sits in a URL.
    static func endpoint(for baseURL: String) throws -> URL {
        guard var components = URLComponents(string: baseURL.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https", components.host != nil else {
            throw JudgeError.invalidSetting("The judge URL \"\(baseURL)\" is not an http(s) URL; write it like http://127.0.0.1:8080/v1.")
        }
        guard components.user == nil, components.password == nil else {
            throw JudgeError.invalidSetting("The judge URL holds credentials; remove them and name the key's environment variable instead.")
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        if !path.hasSuffix("/chat/completions") {
            path += path.isEmpty ? "/v1/chat/completions" : "/chat/completions"
        }
        components.path = path
        guard let url = components.url else { throw JudgeError.invalidSetting("The judge URL \"\(baseURL)\" cannot be used.") }
        return url
    }

    /// The assistant's reply to `messages`, retrying as the settings say.
    public func complete(_ messages: [ChatMessage], isCancelled: () -> Bool = { false }) throws -> String {
        let body = try ChatCompletionJSON.request(model: settings.model, messages: messages,
                                                  temperature: settings.temperature, maxTokens: settings.maxTokens,
                                                  format: settings.replyFormat)
        var lastFailure: (error: JudgeError, delay: Double?) = (.connection(url: endpoint.absoluteString, attempts: 0, reason: "no attempt"), nil)
        for attempt in 0...settings.retries {
            if attempt > 0 {
                let delay = min(settings.maxBackoff, lastFailure.delay ?? settings.backoff * pow(2, Double(attempt - 1)))
                try pause(seconds: delay, isCancelled: isCancelled)
            }
            if isCancelled() { throw JudgeError.cancelled }
            let attempts = attempt + 1
            let url = endpoint.absoluteString
            switch send(body) {
            case let .failure(error):
                let timedOut = (error as? URLError)?.code == .timedOut
                lastFailure = (.connection(url: url, attempts: attempts,
                                           reason: timedOut ? "no reply within \(Self.seconds(settings.timeout))" : Self.reason(error)), nil)
            case let .success((status, data, retryAfter)):
                switch status {
                case 200..<300:
                    if let reply = ChatCompletionJSON.reply(in: data) { return reply }
                    lastFailure = (.malformedResponse(url: url, attempts: attempts, excerpt: excerpt(data)), nil)
                case 401, 403:
                    throw JudgeError.unauthorized(url: url, status: status, variable: settings.apiKeyVariable)
                case 404:
                    throw JudgeError.notFound(url: url, model: settings.model)
                case 408, 409, 429, 500...599:
                    lastFailure = (.serverError(url: url, status: status, attempts: attempts, body: excerpt(data)), retryAfter)
                default:
                    throw JudgeError.serverError(url: url, status: status, attempts: attempts, body: excerpt(data))
                }
            }
        }
        throw lastFailure.error
    }

    /// One POST: the status, the body and the `Retry-After` seconds, or the transport error.
    private func send(_ body: Data) -> Result<(Int, Data, Double?), Error> {
        var request = URLRequest(url: endpoint, timeoutInterval: settings.timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        let outcome = LockedBox<Result<(Int, Data, Double?), Error>>(.failure(URLError(.unknown)))
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                outcome.update { $0 = .failure(error) }
            } else if let http = response as? HTTPURLResponse {
                let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap(Double.init)
                outcome.update { $0 = .success((http.statusCode, data ?? Data(), retryAfter)) }
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return outcome.value
    }

    /// Sleeps in short slices so an interrupt is noticed.
    private func pause(seconds: Double, isCancelled: () -> Bool) throws {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if isCancelled() { throw JudgeError.cancelled }
            Thread.sleep(forTimeInterval: min(0.05, max(0, end.timeIntervalSinceNow)))
        }
    }

    /// The start of a body for an error message, with the key (should a server echo it) masked.
    private func excerpt(_ data: Data) -> String {
        var text = String(decoding: data.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        if let apiKey, !apiKey.isEmpty { text = text.replacingOccurrences(of: apiKey, with: "***") }
        return text.isEmpty ? "an empty body" : text
    }

    private static func reason(_ error: Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .cannotConnectToHost: return "connection refused"
            case .networkConnectionLost: return "the connection was closed"
            case .cannotFindHost: return "unknown host"
            default: return "URL error \(urlError.code.rawValue)"
            }
        }
        return "\(type(of: error))"
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
