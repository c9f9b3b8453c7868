// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Security.Cryptography
{
    public class HMACSHA256 : IDisposable
    {
        public HMACSHA256(byte[] key) => throw null;

        public byte[] ComputeHash(byte[] buffer) => throw null;

        public void Dispose() => throw null;
    }
}
