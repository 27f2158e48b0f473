import GRPO
import LLM
import TextFormats

/// A configuration as cells see it. The object never changes: assigning a field makes a new one,
/// so `var b = a; b.beta = 0.04` leaves `a` alone, as a Swift struct would.
protocol ConfigObject: NativeObject, CustomStringConvertible {
    associatedtype Config
    var config: Config { get }
    static var fields: [ConfigField<Config>] { get }
    static var defaults: Config { get }
}

extension ConfigObject {
    /// `GRPOConfig(learningRate: 5e-06, numGenerations: 4)`: the fields that differ from the defaults.
    var description: String {
        let changed = Self.fields.filter { $0.get(config) != $0.get(Self.defaults) }
        return "\(typeName)(" + changed.map { "\($0.name): \(Formatter.debugDescription(of: $0.get(config)))" }
            .joined(separator: ", ") + ")"
    }

    /// Every field with its value, changed ones marked (text) or bold (HTML).
    func mimeBundle() -> MIMEBundle? {
        let rows = Self.fields.map { field -> (String, String, Bool) in
            let value = field.get(config)
            return (field.name, Formatter.debugDescription(of: value), value != field.get(Self.defaults))
        }
        let width = rows.map(\.0.count).max() ?? 0
        let plain = "\(typeName) (* = changed from the default)\n" + rows.map { name, value, changed in
            (changed ? "* " : "  ") + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value
        }.joined(separator: "\n")
        let html = "<table><caption style=\"text-align:left\">\(typeName) (changed settings in bold)</caption>\n"
            + rows.map { name, value, changed in
                let cell = changed ? "<b>\(HTMLText.escape(value))</b>" : HTMLText.escape(value)
                return "<tr><th style=\"text-align:left\"><code>\(name)</code></th><td style=\"text-align:left\">\(cell)</td></tr>"
            }.joined(separator: "\n") + "\n</table>"
        return MIMEBundle(data: ["text/plain": plain, "text/html": html])
    }
}

/// `GRPOConfig` in cells.
final class GRPOConfigObject: ConfigObject {
    let config: GRPOConfig
    init(_ config: GRPOConfig) { self.config = config }
    var typeName: String { "GRPOConfig" }
    static var fields: [ConfigField<GRPOConfig>] { TrainingConfigFields.grpo }
    static var defaults: GRPOConfig { GRPOConfig() }
}

/// `LoRAConfig` in cells.
final class LoRAConfigObject: ConfigObject {
    let config: LoRAConfig
    init(_ config: LoRAConfig) { self.config = config }
    var typeName: String { "LoRAConfig" }
    static var fields: [ConfigField<LoRAConfig>] { TrainingConfigFields.lora }
    static var defaults: LoRAConfig { LoRAConfig() }
}
