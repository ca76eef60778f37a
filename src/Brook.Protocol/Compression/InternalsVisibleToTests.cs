using System.Runtime.CompilerServices;

// The tests reach NativeCodecLibrary to show what a missing library reports.
[assembly: InternalsVisibleTo("Brook.Protocol.Tests")]
