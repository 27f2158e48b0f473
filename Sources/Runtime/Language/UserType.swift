/// A struct or enum declared by the user (enums have `cases`).
public final class UserType {
    struct StoredProperty {
        var name: String
        var isMutable: Bool
        var type: TypeAnnotation?
        var initial: Expr?
    }

    struct CaseInfo {
        var name: String
        var rawValue: Value?
        var associated: [(label: String?, type: TypeAnnotation)]?
    }

    public let name: String
    let isEnum: Bool
    /// Instances are `ClassInstance` references.
    var isClass = false
    var storedProperties: [StoredProperty] = []
    var fieldIndex: [String: Int] = [:]
    var computed: [String: (getter: FunctionDecl, setter: FunctionDecl?)] = [:]
    var methods: [String: FunctionDecl] = [:]
    var initializers: [FunctionDecl] = []
    var staticValues: [String: Value] = [:]
    var staticComputed: [String: FunctionDecl] = [:]
    var staticMethods: [String: FunctionDecl] = [:]
    var cases: [CaseInfo] = []
    var caseIndex: [String: Int] = [:]
    var conformances: [String] = []
    var doc: String?
    /// The frame the declaration ran in: methods capture it.
    var captured: Frame?

    init(name: String, isEnum: Bool) {
        self.name = name
        self.isEnum = isEnum
    }

    public var storedPropertyNames: [String] { storedProperties.map(\.name) }

    var memberNames: Set<String> {
        Set(storedPropertyNames).union(computed.keys).union(methods.keys)
    }
}
