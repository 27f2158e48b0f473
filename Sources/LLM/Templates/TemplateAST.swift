/// The syntax tree of a template: plain data, built by `TemplateParser`, run by `TemplateRenderer`.
indirect enum TemplateExpression {
    case literal(TemplateValue)
    case name(String)
    case list([TemplateExpression])
    case tuple([TemplateExpression])
    case dictionary([(key: TemplateExpression, value: TemplateExpression)])
    case attribute(TemplateExpression, String)
    case item(TemplateExpression, TemplateExpression)
    case slice(TemplateExpression, start: TemplateExpression?, stop: TemplateExpression?, step: TemplateExpression?)
    case call(TemplateExpression, arguments: [TemplateExpression], keywords: [(String, TemplateExpression)])
    case filter(TemplateExpression, name: String, arguments: [TemplateExpression], keywords: [(String, TemplateExpression)])
    case test(TemplateExpression, name: String, arguments: [TemplateExpression], negated: Bool)
    case unary(String, TemplateExpression)
    case binary(String, TemplateExpression, TemplateExpression)
    case and(TemplateExpression, TemplateExpression)
    case or(TemplateExpression, TemplateExpression)
    case not(TemplateExpression)
    case conditional(then: TemplateExpression, condition: TemplateExpression, otherwise: TemplateExpression?)
}

/// An assignment target: a name, a tuple of names, or `namespace.attribute`.
indirect enum TemplateTarget {
    case name(String)
    case tuple([TemplateTarget])
    case attribute(TemplateExpression, String)
}

struct TemplateMacro {
    var name: String
    var parameters: [(name: String, defaultValue: TemplateExpression?)]
    var body: [TemplateNode]
}

/// One statement or piece of output, with the line it starts on.
struct TemplateNode {
    indirect enum Kind {
        case text(String)
        case output(TemplateExpression)
        case conditional([(condition: TemplateExpression, body: [TemplateNode])], otherwise: [TemplateNode])
        case loop(target: TemplateTarget, iterable: TemplateExpression, filter: TemplateExpression?,
                  body: [TemplateNode], otherwise: [TemplateNode])
        case assign(TemplateTarget, TemplateExpression)
        case assignBlock(TemplateTarget, body: [TemplateNode])
        case macro(TemplateMacro)
        case filterBlock(name: String, arguments: [TemplateExpression], body: [TemplateNode])
        /// `{% generation %}…{% endgeneration %}` (transformers' assistant-mask extension): renders its body.
        case passthrough([TemplateNode])
        case breakLoop
        case continueLoop
    }

    var kind: Kind
    var line: Int
}
