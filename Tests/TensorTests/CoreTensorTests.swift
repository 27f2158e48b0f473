import Tensor
import XCTest

final class CoreTensorTests: XCTestCase {
    func testShapeCountAndScalars() {
        let tensor = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(tensor.count, 6)
        XCTAssertEqual(tensor.rank, 2)
        XCTAssertEqual(tensor[1, 2], 6)
        tensor[0, 1] = 9
        XCTAssertEqual(tensor.scalars, [1, 9, 3, 4, 5, 6])
    }

    func testFillsAndAlignment() {
        XCTAssertEqual(Tensor(zeros: [3]).scalars, [0, 0, 0])
        XCTAssertEqual(Tensor(shape: [2], repeating: 2.5).scalars, [2.5, 2.5])
        let address = Int(bitPattern: Tensor(zeros: [17]).storage.buffer.baseAddress)
        XCTAssertEqual(address % TensorStorage.alignment, 0)
    }

    func testValidatingInitRejectsWrongCount() {
        XCTAssertThrowsError(try Tensor(validating: [2, 2], scalars: [1, 2, 3])) { error in
            XCTAssertEqual(error as? TensorError, .countMismatch(shape: [2, 2], count: 3))
        }
        XCTAssertThrowsError(try Tensor(validating: [-1], scalars: []))
    }

    func testViewsShareStorage() {
        let storage = TensorStorage(copying: [1, 2, 3, 4] as [Float])
        let tail = Tensor(shape: [2], storage: storage, offset: 2)
        XCTAssertEqual(tail.scalars, [3, 4])
        tail.withUnsafeMutableBufferPointer { $0[0] = 7 }
        XCTAssertEqual(storage.buffer[2], 7)
    }

    func testDescriptionShowsShapeAndValues() {
        let text = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).description
        XCTAssertEqual(text, "Tensor([2, 2]) [[1.0, 2.0], [3.0, 4.0]]")
    }

    func testSgemmWrapperMatchesHandComputedProduct() {
        // A (2×3) · B (3×2), and Aᵀ given as stored 3×2.
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [7, 8, 9, 10, 11, 12]
        var c = [Float](repeating: 0, count: 4)
        BLAS.sgemm(m: 2, n: 2, k: 3, a: a, b: b, c: &c)
        XCTAssertEqual(c, [58, 64, 139, 154])
        let aTransposedStorage: [Float] = [1, 4, 2, 5, 3, 6]
        BLAS.sgemm(transposeA: true, m: 2, n: 2, k: 3, a: aTransposedStorage, b: b, c: &c)
        XCTAssertEqual(c, [58, 64, 139, 154])
    }
}
