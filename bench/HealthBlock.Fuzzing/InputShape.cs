namespace HealthBlock.Fuzz;

/// <summary>How inputs of a target are shaped, which picks the structure-aware mutations used beside the byte-level ones.</summary>
public enum InputShape
{
    /// <summary>Opaque bytes (frames, sealed messages).</summary>
    Binary,

    /// <summary>Canonical CBOR (transactions, blocks, IoT batch plaintexts): CBOR tree mutations.</summary>
    Cbor,

    /// <summary>Short printable text (printed CIDs): the bytes are read as Latin-1 characters.</summary>
    Text,

    /// <summary>UTF-8 JSON (diagnosis documents): JSON tree mutations.</summary>
    Json,

    /// <summary>PEM text (key files): DER mutations under valid base64.</summary>
    Pem,
}
