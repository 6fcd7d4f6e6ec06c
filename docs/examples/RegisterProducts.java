import io.idnode.client.AdminPermissions;
import io.idnode.client.BatchOptions;
import io.idnode.client.BatchSummary;
import io.idnode.client.CreateRequest;
import io.idnode.client.CreateResult;
import io.idnode.client.HandleClient;
import io.idnode.client.Identity;
import io.idnode.client.IfExists;
import io.idnode.client.Registration;
import io.idnode.client.RegistrationResult;
import io.idnode.client.Resolution;
import io.idnode.client.Values;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The SDK guide's example (docs/sdk.md): registers one product identifier, reads it back, then registers a
 * production run of 1,000 from a stream. Arguments: the node (host:port), the identity and its key file.
 */
public class RegisterProducts {
    public static void main(String[] args) throws Exception {
        String node = args.length > 0 ? args[0] : "127.0.0.1:2641";
        String identity = args.length > 1 ? args[1] : "300:0.NA/88.100.1";
        Path key = Path.of(args.length > 2 ? args[2] : "data/keys/admin.pem");

        try (HandleClient client = HandleClient.builder()
                .node(node)
                .identity(Identity.fromPemFile(identity, key))
                .build()) {

            // One identifier: a URL, a product-data document, and who may change it later. Run again, the same
            // record counts as done (a different one would fail with a ConflictException).
            String pump = "88.100.1/PUMP-2026-000124";
            CreateResult made = client.create(CreateRequest.of(pump, List.of(
                    Values.url(1, "https://example.com/products/PUMP-2026-000124"),
                    Values.json(2, "PRODUCT_DATA", "{\"model\": \"CP-200\", \"batch\": \"B7\"}"),
                    Values.admin(100, identity, AdminPermissions.ALL))).withIfExists(IfExists.ACCEPT_IDENTICAL)).get();
            System.out.println(made.created() ? "created " + pump : pump + " was there already");
            Resolution r = client.resolve(pump).get();
            System.out.println(pump + " -> " + r.firstText("URL").orElse("?") + " " + r.firstText("PRODUCT_DATA")
                    .orElse("?"));

            // A production run: read as the creates complete, at most 256 in flight, safe to run again.
            Iterator<Registration> run = IntStream.range(0, 1000)
                    .mapToObj(i -> String.format("88.100.1/VALVE-2026-%06d", i))
                    .map(h -> Registration.of(h, Values.url(1, "https://example.com/products/" + h.substring(9))))
                    .iterator();
            BatchOptions options = BatchOptions.defaults()
                    .withMaxInFlight(256)
                    .withIfExists(IfExists.ACCEPT_IDENTICAL)
                    .withOnResult((RegistrationResult result) -> {
                        if (!result.registered()) {
                            System.out.println("item " + result.position() + " " + result.handle() + ": "
                                    + result.status() + " " + result.error().getMessage());
                        }
                    });
            BatchSummary summary = client.register(run, options).completion().get();
            System.out.printf("registered %d (%d new, %d already there), %d conflicts, %d failed, %.0f/s%n",
                    summary.created() + summary.alreadyRegistered(), summary.created(), summary.alreadyRegistered(),
                    summary.conflicts(), summary.failed(), summary.ratePerSecond());
        }
    }
}
