import Foundation
import Testing

@Suite struct ConcurrencyTests {
    /// 20 clients send 50 messages each at once into one room: every client receives all
    /// 1 000, in the same order, with seqs 1…1000.
    @Test func twentyClientsSeeAllThousandMessagesInOneOrder() async throws {
        try await TestServer.run { api in
            var sockets: [TestSocket] = []
            var token = ""
            for index in 0..<20 {
                let user = try await api.user("user\(index)")
                token = user.token
                sockets.append(try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(user.token)"))
            }
            try await api.waitUntilOnline(20, in: 1, token: token)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, socket) in sockets.enumerated() {
                    group.addTask {
                        for n in 0..<50 { try await socket.send(#"{"message":"\#(index)-\#(n)"}"#) }
                    }
                }
                try await group.waitForAll()
            }
            var orders: [[Int]] = []
            for socket in sockets {
                var ids: [Int] = []
                var seqs: [Int] = []
                while seqs.count < 1_000, let frame = await socket.nextJSON(timeout: .seconds(10)) {
                    guard frame["type"] as? String == "message" else { continue }
                    ids.append(frame["id"] as? Int ?? 0)
                    seqs.append(frame["seq"] as? Int ?? 0)
                }
                #expect(seqs == Array(1...1_000))
                orders.append(ids)
            }
            #expect(Set(orders.map { $0.description }).count == 1, "clients saw different orders")
            for socket in sockets { await socket.close() }
        }
    }
}
