using Krait.Conda.Channels;

namespace Krait.Networking;

/// <summary>
/// Retries what a flaky network or server breaks (5xx, refused or reset connections, timeouts, bodies cut short or
/// damaged on the way) with exponential backoff; gives up with one clear error naming the URL and the last failure.
/// Anything else (a 404, a 401, a hash mismatch) is not retried.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan FirstDelay)
{
    public static RetryPolicy Default { get; } = new(4, TimeSpan.FromMilliseconds(250));

    public T Run<T>(string what, Func<T> attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var delay = FirstDelay;
        for (var i = 1; ; i++)
        {
            try
            {
                return attempt();
            }
            catch (Exception e) when (IsTransient(e))
            {
                if (i >= Attempts)
                {
                    throw new RemoteChannelException($"{what}: failed {Attempts} times, last: {Describe(e)}", "check the network or the server, then try again (or use --offline with a filled cache)", e);
                }

                Thread.Sleep(delay);
                delay *= 2;
            }
        }
    }

    /// <summary>An unsuccessful answer as the exception <see cref="IsTransient"/> judges by its status.</summary>
    public static HttpRequestException StatusError(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
    }

    public static bool IsTransient(Exception e) => e switch
    {
        // A certificate the client does not trust stays untrusted: say so at once.
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } => false,
        HttpRequestException http => http.StatusCode is null || (int)http.StatusCode >= 500,
        TaskCanceledException or TimeoutException or IOException or InvalidDataException => true,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        _ => UrlRedaction.RedactText(e.Message),
    };
}
