/// An instance of a user `class`: shared, mutated in place.
final class ClassInstance: NativeObject, CustomStringConvertible {
    let type: UserType
    var fields: [Value]

    init(type: UserType, fields: [Value]) {
        self.type = type
        self.fields = fields
    }

    var typeName: String { type.name }
    var description: String { "main." + type.name }
}

public typealias StructType = UserType
public typealias EnumType = UserType
