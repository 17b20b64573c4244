import TremplinCore

/// SHA-256 of arbitrary bytes, hex-encoded: imported files and ranking
/// inputs are identified by it in the audit log.
public enum Digest {
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        TremplinCore.sha256Hex(bytes)
    }
}
