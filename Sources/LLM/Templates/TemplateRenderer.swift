import Foundation
import TextFormats

/// Runs a parsed template: statements write to `output`, expressions evaluate with Python/Jinja
/// semantics. One renderer renders one template once.
final class TemplateRenderer {
    /// A variable scope. Loop bodies and macro calls get their own; `if` does not.
    final class Scope {
        var variables: [String: TemplateValue] = [:]
        let parent: Scope?

        init(parent: Scope?) {
            self.parent = parent
        }

        func lookup(_ name: String) -> TemplateValue? {
            var scope: Scope? = self
            while let s = scope {
                if let v = s.variables[name] { return v }
                scope = s.parent
            }
            return nil
        }
    }

    private enum Flow { case normal, breakLoop, continueLoop }

    let root: Scope
    private(set) var output = ""
    /// The line of the node being run, for error messages.
    var line = 1
    /// Statements and loop iterations run so far, and macros now running (`TemplateLimits`).
    private var steps = 0
    private var macroDepth = 0

    init(context: [String: TemplateValue]) {
        root = Scope(parent: nil)
        for (name, function) in TemplateBuiltins.globals { root.variables[name] = .function(function) }
        for (name, value) in context { root.variables[name] = value }
    }

    func render(_ nodes: [TemplateNode]) throws -> String {
        do {
            _ = try run(nodes, in: root)
        } catch let TemplateError.runtime(message, 0) {
            throw TemplateError.runtime(message: message, line: line) // from a builtin that lacks the line
        }
        return output
    }

    func fail(_ message: String) -> TemplateError {
        .runtime(message: message, line: line)
    }

    // MARK: - Statements

    private func step() throws {
        steps += 1
        guard steps <= TemplateLimits.maximumSteps else {
            throw fail("the template ran more than \(TemplateLimits.maximumSteps) statements and loop iterations; it does not terminate in reasonable time")
        }
        guard output.utf8.count <= TemplateLimits.maximumTextLength else {
            throw fail("the template's output grew past \(TemplateLimits.maximumTextLength) bytes")
        }
    }

    private func run(_ nodes: [TemplateNode], in scope: Scope) throws -> Flow {
        for node in nodes {
            line = node.line
            try step()
            switch node.kind {
            case let .text(text):
                output += text
            case let .output(expression):
                output += try evaluate(expression, in: scope).text
            case let .conditional(branches, otherwise):
                var taken = false
                for branch in branches where try evaluate(branch.condition, in: scope).isTruthy {
                    taken = true
                    let flow = try run(branch.body, in: scope)
                    if flow != .normal { return flow }
                    break
                }
                if !taken {
                    let flow = try run(otherwise, in: scope)
                    if flow != .normal { return flow }
                }
            case let .loop(target, iterable, filter, body, otherwise):
                try runLoop(target: target, iterable: iterable, filter: filter, body: body, otherwise: otherwise, in: scope)
            case let .assign(target, expression):
                try assign(try evaluate(expression, in: scope), to: target, in: scope)
            case let .assignBlock(target, body):
                let captured = try capture(body, in: Scope(parent: scope))
                try assign(.string(captured), to: target, in: scope)
            case let .macro(macro):
                scope.variables[macro.name] = .function(makeMacro(macro, definedIn: scope))
            case let .filterBlock(name, arguments, body):
                let text = try capture(body, in: scope)
                let args = try arguments.map { try evaluate($0, in: scope) }
                output += try TemplateBuiltins.applyFilter(name, to: .string(text), arguments: args, keywords: [], renderer: self).text
            case let .passthrough(body):
                let flow = try run(body, in: scope)
                if flow != .normal { return flow }
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
        }
        return .normal
    }

    /// Renders `nodes` into a string instead of the output.
    private func capture(_ nodes: [TemplateNode], in scope: Scope) throws -> String {
        let saved = output
        output = ""
        defer { output = saved }
        _ = try run(nodes, in: scope)
        return output
    }

    private func runLoop(target: TemplateTarget, iterable: TemplateExpression, filter: TemplateExpression?,
                         body: [TemplateNode], otherwise: [TemplateNode], in scope: Scope) throws {
        let loopLine = line
        var items = try iterate(try evaluate(iterable, in: scope))
        if let filter {
            items = try items.filter { item in
                let probe = Scope(parent: scope)
                try assign(item, to: target, in: probe)
                return try evaluate(filter, in: probe).isTruthy
            }
        }
        if items.isEmpty {
            _ = try run(otherwise, in: scope)
            return
        }
        for (index, item) in items.enumerated() {
            line = loopLine
            try step()
            let iteration = Scope(parent: scope)
            iteration.variables["loop"] = .dictionary(loopVariable(index: index, items: items))
            try assign(item, to: target, in: iteration)
            if try run(body, in: iteration) == .breakLoop { break }
        }
    }

    private func loopVariable(index: Int, items: [TemplateValue]) -> TemplateDictionary {
        let count = items.count
        var loop = TemplateDictionary()
        loop["index"] = .int(index + 1)
        loop["index0"] = .int(index)
        loop["revindex"] = .int(count - index)
        loop["revindex0"] = .int(count - index - 1)
        loop["first"] = .bool(index == 0)
        loop["last"] = .bool(index == count - 1)
        loop["length"] = .int(count)
        loop["depth"] = .int(1)
        loop["depth0"] = .int(0)
        loop["previtem"] = index > 0 ? items[index - 1] : .undefined("loop.previtem")
        loop["nextitem"] = index + 1 < count ? items[index + 1] : .undefined("loop.nextitem")
        loop["cycle"] = .function(TemplateFunction(name: "loop.cycle") { arguments, _ in
            arguments.isEmpty ? .undefined("loop.cycle") : arguments[index % arguments.count]
        })
        return loop
    }

    /// The items a `for` loop visits: list elements, dict keys, string characters.
    func iterate(_ value: TemplateValue) throws -> [TemplateValue] {
        switch value.plain {
        case .undefined: return []
        case let .array(items), let .tuple(items): return items
        case let .dictionary(d): return d.keys.map(d.keyValue)
        case let .string(s): return s.unicodeScalars.map { .string(String($0)) }
        case let .namespace(ns): return ns.values.keys.map(TemplateValue.string)
        default: throw fail("'\(value.typeName)' object is not iterable")
        }
    }

    private func assign(_ value: TemplateValue, to target: TemplateTarget, in scope: Scope) throws {
        switch target {
        case let .name(name):
            scope.variables[name] = value
        case let .tuple(targets):
            let items = try iterate(value)
            guard items.count == targets.count else {
                throw fail("cannot unpack \(items.count) values into \(targets.count) names")
            }
            for (item, t) in zip(items, targets) { try assign(item, to: t, in: scope) }
        case let .attribute(object, name):
            guard case let .namespace(ns) = try evaluate(object, in: scope) else {
                throw fail("cannot assign attribute '\(name)' on a non-namespace object")
            }
            ns.values[name] = value
        }
    }

    private func makeMacro(_ macro: TemplateMacro, definedIn scope: Scope) -> TemplateFunction {
        TemplateFunction(name: macro.name) { [unowned self] arguments, keywords in
            let frame = Scope(parent: scope)
            guard arguments.count <= macro.parameters.count else {
                throw self.fail("macro '\(macro.name)' takes \(macro.parameters.count) arguments, \(arguments.count) given")
            }
            for (i, parameter) in macro.parameters.enumerated() {
                if i < arguments.count {
                    frame.variables[parameter.name] = arguments[i]
                } else if let keyword = keywords.first(where: { $0.0 == parameter.name }) {
                    frame.variables[parameter.name] = keyword.1
                } else if let defaultValue = parameter.defaultValue {
                    frame.variables[parameter.name] = try self.evaluate(defaultValue, in: frame)
                } else {
                    frame.variables[parameter.name] = .undefined(parameter.name)
                }
            }
            let savedLine = self.line
            guard self.macroDepth < TemplateLimits.maximumMacroDepth else {
                throw self.fail("macro '\(macro.name)' nested more than \(TemplateLimits.maximumMacroDepth) calls deep (does it call itself without end?)")
            }
            self.macroDepth += 1
            defer { self.line = savedLine; self.macroDepth -= 1 }
            return .string(try self.capture(macro.body, in: frame))
        }
    }

    // MARK: - Expressions

    func evaluate(_ expression: TemplateExpression, in scope: Scope) throws -> TemplateValue {
        switch expression {
        case let .literal(value):
            return value
        case let .name(name):
            return scope.lookup(name) ?? .undefined(name)
        case let .list(items):
            return .array(try items.map { try evaluate($0, in: scope) })
        case let .tuple(items):
            return .tuple(try items.map { try evaluate($0, in: scope) })
        case let .dictionary(pairs):
            var d = TemplateDictionary()
            for pair in pairs {
                let key = try evaluate(pair.key, in: scope)
                d.set(try evaluate(pair.value, in: scope), forKey: key)
            }
            return .dictionary(d)
        case let .attribute(object, name):
            return try TemplateBuiltins.attribute(name, of: evaluate(object, in: scope).plain, renderer: self)
        case let .item(object, index):
            return try TemplateBuiltins.item(evaluate(index, in: scope).plain, of: evaluate(object, in: scope).plain, renderer: self)
        case let .slice(object, start, stop, step):
            return try slice(evaluate(object, in: scope).plain,
                             start: start.map { try evaluate($0, in: scope) },
                             stop: stop.map { try evaluate($0, in: scope) },
                             step: step.map { try evaluate($0, in: scope) })
        case let .call(callee, arguments, keywords):
            let function = try evaluate(callee, in: scope)
            guard case let .function(f) = function else {
                throw fail("'\(function.isUndefined ? describe(callee) : function.typeName)' is not callable")
            }
            let args = try arguments.map { try evaluate($0, in: scope) }
            let kwargs = try keywords.map { ($0.0, try evaluate($0.1, in: scope)) }
            return try f.body(args, kwargs)
        case let .filter(subject, name, arguments, keywords):
            let value = try evaluate(subject, in: scope)
            let args = try arguments.map { try evaluate($0, in: scope).plain }
            let kwargs = try keywords.map { ($0.0, try evaluate($0.1, in: scope).plain) }
            if name == "safe" { return .markup(value.text) }
            return try TemplateBuiltins.applyFilter(name, to: value, arguments: args, keywords: kwargs, renderer: self)
        case let .test(subject, name, arguments, negated):
            let value = try evaluate(subject, in: scope).plain
            let args = try arguments.map { try evaluate($0, in: scope).plain }
            let result = try TemplateBuiltins.applyTest(name, to: value, arguments: args, renderer: self)
            return .bool(result != negated)
        case let .unary(op, operand):
            let value = try evaluate(operand, in: scope)
            switch (op, value) {
            case let ("-", .int(n)): return .int(-n)
            case let ("-", .double(d)): return .double(-d)
            case let ("-", .bool(b)): return .int(b ? -1 : 0)
            default: throw fail("bad operand type for unary \(op): '\(value.typeName)'")
            }
        case let .binary(op, left, right):
            return try binary(op, evaluate(left, in: scope), evaluate(right, in: scope))
        case let .and(left, right):
            let l = try evaluate(left, in: scope)
            return l.isTruthy ? try evaluate(right, in: scope) : l
        case let .or(left, right):
            let l = try evaluate(left, in: scope)
            return l.isTruthy ? l : try evaluate(right, in: scope)
        case let .not(operand):
            return .bool(!(try evaluate(operand, in: scope).isTruthy))
        case let .conditional(then, condition, otherwise):
            if try evaluate(condition, in: scope).isTruthy { return try evaluate(then, in: scope) }
            return try otherwise.map { try evaluate($0, in: scope) } ?? .undefined("else")
        }
    }

    private func describe(_ expression: TemplateExpression) -> String {
        switch expression {
        case let .name(n): return n
        case let .attribute(o, n): return describe(o) + "." + n
        default: return "expression"
        }
    }

    func binary(_ op: String, _ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        // Markup + str escapes the str (MarkupSafe), in either order.
        if op == "+" {
            switch (a, b) {
            case let (.markup(x), .markup(y)): return .markup(x + y)
            case let (.markup(x), .string(y)): return .markup(x + HTMLText.escape(y))
            case let (.string(x), .markup(y)): return .markup(HTMLText.escape(x) + y)
            default: break
            }
        }
        let a = a.plain, b = b.plain
        switch op {
        case "==": return .bool(a == b)
        case "!=": return .bool(a != b)
        case "<", "<=", ">", ">=":
            let order = try compare(a, b, op)
            switch op {
            case "<": return .bool(order < 0)
            case "<=": return .bool(order <= 0)
            case ">": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "in": return .bool(try contains(b, a))
        case "~": return .string(a.text + b.text)
        default: break
        }
        if case .undefined = a { throw fail("'\(a.undefinedName)' is undefined") }
        if case .undefined = b { throw fail("'\(b.undefinedName)' is undefined") }
        switch (op, a, b) {
        case let ("+", .string(x), .string(y)): return .string(x + y)
        case let ("+", .array(x), .array(y)): return .array(x + y)
        case let ("+", .tuple(x), .tuple(y)): return .tuple(x + y)
        case let ("*", .string(x), .int(n)), let ("*", .int(n), .string(x)):
            try TemplateLimits.checkSize(x.utf8.count, times: n, limit: TemplateLimits.maximumTextLength, what: "the repeated string", line: line)
            return .string(String(repeating: x, count: max(0, n)))
        case let ("*", .array(x), .int(n)), let ("*", .int(n), .array(x)):
            try TemplateLimits.checkSize(x.count, times: n, limit: TemplateLimits.maximumListLength, what: "the repeated list", line: line)
            return .array(Array([[TemplateValue]](repeating: x, count: max(0, n)).joined()))
        case let ("%", .string(format), _): return .string(try percentFormat(format, b))
        default: break
        }
        guard let x = a.number, let y = b.number else {
            throw fail("unsupported operand types for \(op): '\(a.typeName)' and '\(b.typeName)'")
        }
        let integers = a.isIntegral && b.isIntegral
        if integers, let i = Self.integer(a), let j = Self.integer(b), let exact = try integerArithmetic(op, i, j) { return .int(exact) }
        switch op {
        case "+": return integers ? .int(Int(x) + Int(y)) : .double(x + y)
        case "-": return integers ? .int(Int(x) - Int(y)) : .double(x - y)
        case "*": return integers ? .int(Int(x) * Int(y)) : .double(x * y)
        case "/":
            guard y != 0 else { throw fail("division by zero") }
            return .double(x / y)
        case "//":
            guard y != 0 else { throw fail("integer division or modulo by zero") }
            return integers ? .int(Int((x / y).rounded(.down))) : .double((x / y).rounded(.down))
        case "%":
            guard y != 0 else { throw fail("integer division or modulo by zero") }
            let r = x - y * (x / y).rounded(.down)
            return integers ? .int(Int(r)) : .double(r)
        case "**":
            if integers, y >= 0 { return .int(try exactInteger(pow(x, y), op)) }
            return .double(pow(x, y))
        default:
            throw fail("unknown operator \(op)")
        }
    }

    /// `+ - * // % **` on two Ints without overflow (Python's ints have no limit; ours stop
    /// with an error instead of trapping). Nil for other operators.
    private func integerArithmetic(_ op: String, _ x: Int, _ y: Int) throws -> Int? {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case "+": result = x.addingReportingOverflow(y)
        case "-": result = x.subtractingReportingOverflow(y)
        case "*": result = x.multipliedReportingOverflow(by: y)
        case "//", "%":
            guard y != 0 else { throw fail("integer division or modulo by zero") }
            guard !(x == .min && y == -1) else { throw fail("integer overflow in \(x) \(op) \(y)") }
            let (q, r) = x.quotientAndRemainder(dividingBy: y)
            let floors = r != 0 && ((r < 0) != (y < 0))
            return op == "//" ? (floors ? q - 1 : q) : (floors ? r + y : r)
        case "**":
            guard y >= 0 else { return nil }
            var power = 1, base = x, exponent = y
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (p, o) = power.multipliedReportingOverflow(by: base)
                    guard !o else { throw fail("integer overflow in \(x) ** \(y)") }
                    power = p
                }
                exponent >>= 1
                if exponent > 0 {
                    let (b, o) = base.multipliedReportingOverflow(by: base)
                    guard !o else { throw fail("integer overflow in \(x) ** \(y)") }
                    base = b
                }
            }
            return power
        default: return nil
        }
        guard !result.overflow else { throw fail("integer overflow in \(x) \(op) \(y)") }
        return result.partialValue
    }

    /// An Int or a bool (Python's bools are ints) as an Int.
    private static func integer(_ value: TemplateValue) -> Int? {
        switch value {
        case let .int(n): return n
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
    }

    /// `value` as an Int, or an error when it is not finite or out of range.
    func exactInteger(_ value: Double, _ what: String) throws -> Int {
        guard value.isFinite, value >= -9.223372036854775e18, value <= 9.223372036854775e18 else {
            throw fail("\(what): \(value) does not fit in an integer")
        }
        return Int(value)
    }

    /// Python ordering for numbers, strings and lists.
    func compare(_ a: TemplateValue, _ b: TemplateValue, _ op: String = "<") throws -> Int {
        let a = a.plain, b = b.plain
        if let x = a.number, let y = b.number { return x < y ? -1 : x > y ? 1 : 0 }
        if case let .string(x) = a, case let .string(y) = b {
            let xs = Array(x.unicodeScalars).map(\.value), ys = Array(y.unicodeScalars).map(\.value)
            return xs.lexicographicallyPrecedes(ys) ? -1 : xs == ys ? 0 : 1
        }
        if let x = a.elements, let y = b.elements, a.typeName == b.typeName {
            for (p, q) in zip(x, y) where p != q { return try compare(p, q, op) }
            return x.count < y.count ? -1 : x.count > y.count ? 1 : 0
        }
        throw fail("'\(op)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
    }

    func contains(_ container: TemplateValue, _ element: TemplateValue) throws -> Bool {
        let container = container.plain, element = element.plain
        switch container {
        case let .string(s):
            guard case let .string(sub) = element else {
                throw fail("'in <string>' requires string as left operand, not \(element.typeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case let .array(items), let .tuple(items): return items.contains(element)
        case let .dictionary(d):
            if case let .string(key) = element { return d[key] != nil }
            return false
        case let .namespace(ns): return ns.values[element.text] != nil
        case .undefined: return false
        default: throw fail("argument of type '\(container.typeName)' is not iterable")
        }
    }

    /// Python `format % values` for %s, %d, %i, %r, %f and %%.
    private func percentFormat(_ format: String, _ values: TemplateValue) throws -> String {
        var arguments: [TemplateValue]
        if case let .tuple(items) = values { arguments = items } else { arguments = [values] }
        var out = ""
        var scalars = format.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            guard c == "%" else { out.unicodeScalars.append(c); continue }
            guard let spec = scalars.next() else { throw fail("incomplete format") }
            if spec == "%" { out += "%"; continue }
            guard !arguments.isEmpty else { throw fail("not enough arguments for format string") }
            let value = arguments.removeFirst()
            switch spec {
            case "s": out += value.text
            case "r": out += value.repr
            case "d", "i":
                guard let n = value.number else { throw fail("%d format: a number is required") }
                out += String(try exactInteger(n.rounded(.towardZero), "%d format"))
            case "f":
                guard let n = value.number else { throw fail("%f format: a number is required") }
                out += String(format: "%f", n)
            default: throw fail("unsupported format character '\(spec)'")
            }
        }
        return out
    }

    private func slice(_ value: TemplateValue, start: TemplateValue?, stop: TemplateValue?, step: TemplateValue?) throws -> TemplateValue {
        func int(_ v: TemplateValue?) throws -> Int? {
            guard let v, !(v == .none), !v.isUndefined else { return nil }
            guard case let .int(n) = v else { throw fail("slice indices must be integers") }
            return n
        }
        let stepValue = try int(step) ?? 1
        guard stepValue != 0 else { throw fail("slice step cannot be zero") }
        func indices(count: Int) throws -> [Int] {
            func clamp(_ i: Int?, _ defaultValue: Int) -> Int {
                guard var i else { return defaultValue }
                if i < 0 { i += count }
                return stepValue > 0 ? min(max(i, 0), count) : min(max(i, -1), count - 1)
            }
            let from = clamp(try int(start), stepValue > 0 ? 0 : count - 1)
            let to = clamp(try int(stop), stepValue > 0 ? count : -1)
            return Array(stride(from: from, to: to, by: stepValue))
        }
        switch value {
        case let .array(items):
            return .array(try indices(count: items.count).map { items[$0] })
        case let .tuple(items):
            return .tuple(try indices(count: items.count).map { items[$0] })
        case let .string(s):
            let scalars = Array(s.unicodeScalars)
            var view = String.UnicodeScalarView()
            for i in try indices(count: scalars.count) { view.append(scalars[i]) }
            return .string(String(view))
        case .undefined:
            return value
        default:
            throw fail("'\(value.typeName)' object is not subscriptable")
        }
    }
}

extension TemplateValue {
    var isIntegral: Bool {
        switch self {
        case .int, .bool: return true
        default: return false
        }
    }

    var undefinedName: String {
        if case let .undefined(name) = self { return name }
        return ""
    }
}
