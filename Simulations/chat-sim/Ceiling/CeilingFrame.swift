import NIOCore

/// The ceiling server's message frame: chat-server's seed `message` frame, field for field, with
/// the sent text copied as the client wrote it (a JSON string, quotes included).
enum CeilingFrame {
    static func message(
        id: Int, roomID: Int, roomName: String, seq: Int, username: String, text: ArraySlice<UInt8>, timestamp: String,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 160 + text.count)
        buffer.writeString(#"{"type":"message","id":\#(id),"room_id":\#(roomID),"room":"\#(roomName)","seq":\#(seq),"username":"\#(username)","message":"#)
        buffer.writeBytes(text)
        buffer.writeString(#","timestamp":"\#(timestamp)"}"#)
        return buffer
    }
}
