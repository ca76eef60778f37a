using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests;

/// <summary>Garbage on some connections never stops the broker serving real clients on others.</summary>
public sealed class HostileClientTests
{
    [Fact]
    public async Task Random_bytes_truncated_frames_and_huge_sizes_do_not_stop_a_real_client()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        IPEndPoint endPoint = broker.Server.KafkaEndPoint;
        var random = new Random(1234);
        var hostile = new List<Socket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                byte[] garbage = new byte[random.Next(1, 4096)];
                random.NextBytes(garbage);
                hostile.Add(await SendAsync(endPoint, garbage));
            }
            byte[] huge = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(huge, int.MaxValue);
            hostile.Add(await SendAsync(endPoint, huge));
            byte[] truncated = new byte[20];
            BinaryPrimitives.WriteInt32BigEndian(truncated, 100);
            hostile.Add(await SendAsync(endPoint, truncated));
            byte[] negative = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(negative, -5);
            hostile.Add(await SendAsync(endPoint, negative));

            ProcessResult produced = await ChildProcess.RunAsync(InteropPaths.Kcat, ["-b", broker.Bootstrap, "-P", "-t", "survivor", "-p", "0"], "a\nb\nc\n");
            ProcessResult consumed = await ChildProcess.RunAsync(InteropPaths.Kcat, ["-b", broker.Bootstrap, "-C", "-t", "survivor", "-p", "0", "-e", "-q", "-f", "%s\\n"]);

            Assert.True(produced.ExitCode == 0, produced.ToString());
            Assert.Equal("a\nb\nc\n", consumed.Stdout);
        }
        finally
        {
            foreach (Socket socket in hostile)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<Socket> SendAsync(IPEndPoint endPoint, byte[] bytes)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(endPoint, deadline.Token);
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, deadline.Token);
        }
        catch (SocketException)
        {
            // The broker may already have closed the connection; that is the point.
        }
        return socket;
    }
}
