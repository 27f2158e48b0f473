import Foundation
import LLM
import Tensor
import XCTest

/// PEFT adapter folders: round trips, the file layout PEFT expects, and every bad input.
final class LoRAPEFTFileTests: XCTestCase {
    override func tearDown() {
        try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-grpo-lora-\(ProcessInfo.processInfo.processIdentifier)"))
        super.tearDown()
    }

    /// A tiny llama with a non-trivial adapter attached, and that adapter.
    private func adaptedModel(_ family: String = "llama", config: LoRAConfig = LoRAConfig(rank: 4, alpha: 8, seed: 2))
        throws -> (CausalLanguageModel, LoRAAdapter) {
        let model = try LoRATestSupport.tinyModel(family)
        let adapter = try LoRAAdapter.initialized(for: model, config: config)
        LoRATestSupport.randomizeB(adapter, magnitude: 0.1)
        try model.attach(adapter)
        return (model, adapter)
    }

    func testSaveLoadRoundTripGivesIdenticalLogits() throws {
        for family in ["llama", "qwen2", "phi3", "gemma3"] {
            let (model, adapter) = try adaptedModel(family, config: LoRAConfig(rank: 4, alpha: 8, useRSLoRA: family == "qwen2", seed: 2))
            let adapted = try LoRATestSupport.logits(model)
            let folder = try LoRATestSupport.scratchFolder().appendingPathComponent("adapter")
            try adapter.save(to: folder, baseModel: "tiny-\(family)")

            let fresh = try LoRATestSupport.tinyModel(family)
            let loaded = try LoRAAdapter.load(from: folder, for: fresh, expectedBaseModel: "tiny-\(family)")
            XCTAssertEqual(loaded.config.rank, 4)
            XCTAssertEqual(loaded.config.alpha, 8)
            XCTAssertEqual(loaded.config.useRSLoRA, family == "qwen2")
            XCTAssertEqual(loaded.config.targetModules, adapter.config.targetModules)
            XCTAssertEqual(loaded.flatValues.scalars, adapter.flatValues.scalars)
            try fresh.attach(loaded)
            XCTAssertEqual(try LoRATestSupport.logits(fresh), adapted, "\(family): F32 round trip is exact")
        }
    }

    func testFileLayoutIsPEFTs() throws {
        let (_, adapter) = try adaptedModel()
        let folder = try LoRATestSupport.scratchFolder().appendingPathComponent("peft")
        try adapter.save(to: folder, baseModel: "HuggingFaceTB/SmolLM2-135M-Instruct", dtype: .float16)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(files, ["adapter_config.json", "adapter_model.safetensors"])

        let json = try LoadingTestPaths.json(folder.appendingPathComponent("adapter_config.json"))
        XCTAssertEqual(json["peft_type"] as? String, "LORA")
        XCTAssertEqual(json["task_type"] as? String, "CAUSAL_LM")
        XCTAssertEqual(json["r"] as? Int, 4)
        XCTAssertEqual(json["lora_alpha"] as? Int, 8)
        XCTAssertEqual(json["lora_dropout"] as? Double, 0)
        XCTAssertEqual(json["use_rslora"] as? Bool, false)
        XCTAssertEqual(json["use_dora"] as? Bool, false)
        XCTAssertEqual(json["fan_in_fan_out"] as? Bool, false)
        XCTAssertEqual(json["bias"] as? String, "none")
        XCTAssertEqual(json["base_model_name_or_path"] as? String, "HuggingFaceTB/SmolLM2-135M-Instruct")
        XCTAssertEqual(json["target_modules"] as? [String], LoRAConfig.allProjections)

        let file = try SafetensorsFile(url: folder.appendingPathComponent("adapter_model.safetensors"))
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(Set(file.names), Set(adapter.namedParameters.map(\.name)))
        let a = try XCTUnwrap(file.info(named: "base_model.model.model.layers.1.mlp.up_proj.lora_A.weight"))
        XCTAssertEqual(a.dtype, .float16)
        XCTAssertEqual(a.shape, [4, 64])
        XCTAssertEqual(try XCTUnwrap(file.info(named: "base_model.model.model.layers.1.mlp.up_proj.lora_B.weight")).shape, [128, 4])

        // F16 values load back within half precision.
        let loaded = try LoRAAdapter.load(from: folder, for: try LoRATestSupport.tinyModel("llama"))
        for (ours, theirs) in zip(loaded.flatValues.scalars, adapter.flatValues.scalars) {
            XCTAssertEqual(ours, theirs, accuracy: abs(theirs) * 1e-3 + 1e-7)
        }
    }

    func testSavingReplacesTheAdapterFilesKeepsTheFolderOthersAndLeavesNoTemporaries() throws {
        let (model, adapter) = try adaptedModel()
        let parent = try LoRATestSupport.scratchFolder()
        let folder = parent.appendingPathComponent("ckpt")
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("attempts/first"), withIntermediateDirectories: true)
        try Data("# my notes".utf8).write(to: folder.appendingPathComponent("README.md"))
        try Data("{}".utf8).write(to: folder.appendingPathComponent("attempts/first/log.jsonl"))
        try Data("old".utf8).write(to: folder.appendingPathComponent(LoRAAdapter.configFileName))
        try adapter.save(to: folder, baseModel: "tiny")
        XCTAssertEqual(try manager.contentsOfDirectory(atPath: parent.path), ["ckpt"])
        XCTAssertEqual(Set(try manager.contentsOfDirectory(atPath: folder.path)),
                       ["README.md", "attempts", LoRAAdapter.configFileName, LoRAAdapter.weightsFileName])
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8), "# my notes")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("attempts/first/log.jsonl"), encoding: .utf8), "{}")
        XCTAssertNoThrow(try LoRAAdapter.load(from: folder, for: model))
        let file = parent.appendingPathComponent("plain-file")
        try Data().write(to: file)
        XCTAssertThrowsError(try adapter.save(to: file, baseModel: "tiny")) { error in
            guard case .writeFailed = error as? LoRAError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try adapter.save(to: folder, baseModel: "tiny", dtype: .int8))
        _ = model
    }

    // MARK: bad inputs

    /// Saves a good adapter, lets `edit` damage it, and returns the load error.
    private func loadError(editConfig: ((inout [String: Any]) -> Void)? = nil,
                           editTensors: ((inout [(String, Tensor)]) -> Void)? = nil,
                           expectedBaseModel: String? = nil, removing fileName: String? = nil,
                           file: StaticString = #filePath, line: UInt = #line) throws -> LoRAError? {
        let (_, adapter) = try adaptedModel()
        let folder = try LoRATestSupport.scratchFolder().appendingPathComponent("bad")
        try adapter.save(to: folder, baseModel: "tiny-llama")
        if let editConfig {
            let url = folder.appendingPathComponent("adapter_config.json")
            var json = try LoadingTestPaths.json(url)
            editConfig(&json)
            try JSONSerialization.data(withJSONObject: json).write(to: url)
        }
        if let editTensors {
            var tensors = adapter.namedParameters.map { ($0.name, $0.tensor) }
            editTensors(&tensors)
            var writer = SafetensorsWriter(metadata: ["format": "pt"])
            for (name, tensor) in tensors { try writer.add(name, tensor: tensor) }
            try writer.write(to: folder.appendingPathComponent("adapter_model.safetensors"))
        }
        if let fileName { try FileManager.default.removeItem(at: folder.appendingPathComponent(fileName)) }
        do {
            _ = try LoRAAdapter.load(from: folder, for: try LoRATestSupport.tinyModel("llama"), expectedBaseModel: expectedBaseModel)
            XCTFail("loading the damaged adapter succeeded", file: file, line: line)
            return nil
        } catch let error as LoRAError {
            return error
        }
    }

    func testMissingFiles() throws {
        for name in ["adapter_config.json", "adapter_model.safetensors"] {
            let error = try loadError(removing: name)
            guard case let .missingFile(path) = error else { return XCTFail("\(String(describing: error))") }
            XCTAssertTrue(path.hasSuffix(name))
        }
    }

    func testUnsupportedOptionsAreNamed() throws {
        let cases: [(String, Any)] = [("use_dora", true), ("bias", "all"), ("bias", "lora_only"), ("fan_in_fan_out", true),
                                      ("lora_bias", true), ("rank_pattern", ["q_proj": 8]), ("alpha_pattern", ["q_proj": 8]),
                                      ("modules_to_save", ["lm_head"]), ("layers_to_transform", [0]),
                                      ("exclude_modules", ["down_proj"])]
        for (key, value) in cases {
            let error = try loadError(editConfig: { $0[key] = value })
            guard case let .unsupportedOption(name, _, _) = error else { XCTFail("\(key): \(String(describing: error))"); continue }
            XCTAssertEqual(name, key)
            XCTAssertTrue("\(error!)".contains(key))
        }
    }

    func testNotALoRAConfig() throws {
        for edit: (inout [String: Any]) -> Void in [{ $0["peft_type"] = "IA3" }, { $0["peft_type"] = nil },
                                                     { $0["target_modules"] = 5 }, { $0["r"] = "eight" }] {
            let error = try loadError(editConfig: edit)
            guard case .invalidAdapterConfig = error else { XCTFail("\(String(describing: error))"); continue }
        }
    }

    func testTargetModulesTheModelLacks() throws {
        let error = try loadError(editConfig: { $0["target_modules"] = ["q_proj", "query_key_value"] })
        XCTAssertEqual(error, .unknownTargetModules(names: ["query_key_value"],
                                                   available: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
    }

    func testMissingUnexpectedAndMisshapenTensors() throws {
        let missing = try loadError(editTensors: { $0.removeAll { $0.0.contains("layers.1.mlp.down_proj.lora_B") } })
        XCTAssertEqual(missing, .missingTensors(names: ["base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"],
                                                path: missingPath(missing)))
        let extra = try loadError(editTensors: { $0.append(("base_model.model.lm_head.weight", Tensor(zeros: [2, 2]))) })
        guard case let .unexpectedTensors(names, _) = extra else { return XCTFail("\(String(describing: extra))") }
        XCTAssertEqual(names, ["base_model.model.lm_head.weight"])
        let misshapen = try loadError(editTensors: { tensors in
            let index = tensors.firstIndex { $0.0.hasSuffix("layers.0.self_attn.k_proj.lora_B.weight") }!
            tensors[index].1 = Tensor(zeros: [64, 4])
        })
        guard case let .wrongShape(name, expected, actual, _) = misshapen else { return XCTFail("\(String(describing: misshapen))") }
        XCTAssertEqual(name, "base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight")
        XCTAssertEqual(expected, [32, 4])
        XCTAssertEqual(actual, [64, 4])
        // A rank in the config that the tensors do not have.
        let rank = try loadError(editConfig: { $0["r"] = 8 })
        guard case .wrongShape = rank else { return XCTFail("\(String(describing: rank))") }
    }

    func testBaseModelMismatch() throws {
        let error = try loadError(expectedBaseModel: "Qwen/Qwen2.5-0.5B-Instruct")
        guard case let .baseModelMismatch(adapterBase, model, _) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(adapterBase, "tiny-llama")
        XCTAssertEqual(model, "Qwen/Qwen2.5-0.5B-Instruct")
        XCTAssertTrue(LoRAAdapter.isSameBaseModel("HuggingFaceTB/SmolLM2-135M-Instruct", "SmolLM2-135M-Instruct.Q4_1.gguf"))
        XCTAssertTrue(LoRAAdapter.isSameBaseModel("/models/tiny-llama", "tiny-llama"))
        XCTAssertFalse(LoRAAdapter.isSameBaseModel("HuggingFaceTB/SmolLM2-360M-Instruct", "SmolLM2-135M-Instruct"))
    }

    func testPEFTStringTargetsAndDefaults() throws {
        let (_, adapter) = try adaptedModel(config: LoRAConfig(rank: 8, alpha: 8, targetModules: ["q_proj", "v_proj"], seed: 4))
        let folder = try LoRATestSupport.scratchFolder().appendingPathComponent("regex")
        try adapter.save(to: folder, baseModel: "tiny")
        let url = folder.appendingPathComponent("adapter_config.json")
        var json = try LoadingTestPaths.json(url)
        json["target_modules"] = #".*\.(q|v)_proj"#
        json["r"] = nil          // PEFT's defaults: r 8, lora_alpha 8
        json["lora_alpha"] = nil
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        let model = try LoRATestSupport.tinyModel("llama")
        let loaded = try LoRAAdapter.load(from: folder, for: model)
        XCTAssertEqual(loaded.moduleNames, adapter.moduleNames)
        XCTAssertEqual(loaded.flatValues.scalars, adapter.flatValues.scalars)
        XCTAssertEqual(loaded.config.scale, 1)
    }

    private func missingPath(_ error: LoRAError?) -> String {
        if case let .missingTensors(_, path) = error { return path }
        return ""
    }

    /// W + scale·B·A per projection, loaded as an ordinary checkpoint, reproduces the adapted
    /// model (the merged-export path).
    func testMergedWeightsReproduceTheAdaptedModel() throws {
        for family in ["llama", "phi3"] {
            let (model, adapter) = try adaptedModel(family, config: LoRAConfig(rank: 4, alpha: 8, useRSLoRA: true, seed: 2))
            let adapted = try LoRATestSupport.logits(model)
            let folder = LoRATestSupport.tinyModelFolder(family)
            var weights = try ModelWeights(checkpoint: HuggingFaceFolder(url: folder).checkpoint())
            for projection in model.projections.all {
                weights.tensors["\(projection.moduleName).weight"] = try XCTUnwrap(projection.mergedWeight())
            }
            let merged = try CausalLanguageModel(config: model.config, weights: weights)
            let logits = try LoRATestSupport.logits(merged)
            let worst = zip(logits, adapted).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-4, "\(family): merged vs adapted")
            XCTAssertNotEqual(logits, try model.withAdapterDisabled { try LoRATestSupport.logits(model) }, "\(family): the merge changed nothing")
            // Without an adapter the merged weight is the base itself.
            model.detachAdapter()
            let first = try XCTUnwrap(model.projections.all.first)
            XCTAssertTrue(first.mergedWeight() === first.baseTensor)
            _ = adapter
        }
    }
}
