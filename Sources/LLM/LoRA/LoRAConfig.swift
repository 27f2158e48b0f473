import Foundation

/// The shape of a LoRA adapter: rank, scaling, dropout, which projections it adapts and the seed
/// of its initialization. Field meanings follow PEFT's `LoraConfig` (`r`, `lora_alpha`,
/// `lora_dropout`, `target_modules`, `use_rslora`).
public struct LoRAConfig: Codable, Equatable, Sendable {
    /// The seven projections of a Llama-style block, PEFT's names.
    public static let allProjections = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

    /// r: the inner dimension of B·A.
    public var rank = 16
    /// lora_alpha: the scale is alpha/r (alpha/√r with rsLoRA).
    public var alpha = 16.0
    /// Probability of zeroing an input of A while training (0 turns dropout off).
    public var dropout = 0.0
    /// Module names to adapt. A name matches every module whose path ends with it
    /// (`q_proj`, `self_attn.q_proj`, `model.layers.3.mlp.down_proj`). On Phi-3, whose
    /// checkpoints fuse the projections, `q_proj`/`k_proj`/`v_proj` select `qkv_proj` and
    /// `gate_proj`/`up_proj` select `gate_up_proj`, as PEFT would need them named.
    public var targetModules = LoRAConfig.allProjections
    /// Rank-stabilized LoRA: scale alpha/√r instead of alpha/r.
    public var useRSLoRA = false
    /// Seeds A's initialization and the dropout masks.
    public var seed: UInt64 = 0

    public init(rank: Int = 16, alpha: Double = 16, dropout: Double = 0,
                targetModules: [String] = LoRAConfig.allProjections, useRSLoRA: Bool = false, seed: UInt64 = 0) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targetModules = targetModules
        self.useRSLoRA = useRSLoRA
        self.seed = seed
    }

    /// The factor applied to B·A·x: alpha/r, or alpha/√r with rsLoRA.
    public var scale: Float {
        let r = Double(max(rank, 1))
        return Float(useRSLoRA ? alpha / r.squareRoot() : alpha / r)
    }

    /// Throws when a value cannot make an adapter (rank below 1, dropout outside [0, 1), no
    /// targets, a non-finite alpha).
    public func validate() throws {
        guard rank >= 1 else { throw LoRAError.invalidConfig("rank must be at least 1, got \(rank)") }
        guard alpha.isFinite else { throw LoRAError.invalidConfig("alpha must be a finite number, got \(alpha)") }
        guard dropout >= 0, dropout < 1 else {
            throw LoRAError.invalidConfig("dropout must be in [0, 1), got \(dropout)")
        }
        guard !targetModules.isEmpty else {
            throw LoRAError.invalidConfig("targetModules is empty; name at least one projection, e.g. \(LoRAConfig.allProjections)")
        }
    }
}
