// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Threading
{
    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource(Int32 millisecondsDelay) => throw null;

        public CancellationToken Token => throw null;

        public void Dispose() => throw null;
    }
}
