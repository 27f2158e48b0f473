import Foundation

/// `Date` (from `import Foundation`): enough to time work in a cell.
///
///     let start = Date()
///     …
///     print("took \(Date().timeIntervalSince(start)) s")
final class DateObject: NativeObject, CustomStringConvertible {
    let date: Date

    init(_ date: Date) {
        self.date = date
    }

    var typeName: String { "Date" }

    /// Swift's `print(Date())` form: "2026-11-21 13:58:00 +0000".
    var description: String { DateObject.formatter.string(from: date) }

    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter
    }()
}

extension StandardLibrary {
    static func registerDates(in registry: NativeRegistry) {
        registry.type("Date", doc: "A point in time (Foundation's Date), for timing work.") { type in
            type.initializer([], doc: "Now.") { _ in .object(DateObject(Date())) }
            type.initializer([.labeled("timeIntervalSince1970", "Double")], doc: "Seconds after 1970-01-01 00:00 UTC.") { call in
                .object(DateObject(Date(timeIntervalSince1970: try call.double("timeIntervalSince1970"))))
            }
            type.method("timeIntervalSince", [.positional("date", "Date")], returns: "Double",
                        doc: "Seconds from date to this one (negative when date is later).") { call in
                let this = try call.receiver(as: DateObject.self).date
                return .double(this.timeIntervalSince(try call.object("date", as: DateObject.self).date))
            }
            type.property("timeIntervalSinceNow", "Double", of: DateObject.self, doc: "Seconds from now to this date.") {
                .double($0.date.timeIntervalSinceNow)
            }
            type.property("timeIntervalSince1970", "Double", of: DateObject.self, doc: "Seconds after 1970-01-01 00:00 UTC.") {
                .double($0.date.timeIntervalSince1970)
            }
        }
    }
}
