package app.cruddur.messages.support;

import app.cruddur.messages.support.TestUsers.TestUser;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;

/** The messaging calls as a signed-in user makes them, expecting success. */
public final class Api {

    private Api() {
    }

    public static JsonPath post(TestUser sender, Map<String, String> body) {
        return sender.api().contentType(ContentType.JSON).body(body).post("/api/messages")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    public static List<Map<String, Object>> messages(TestUser reader, String group) {
        return reader.api().get("/api/messages/" + group).then().statusCode(200).extract().jsonPath().getList("");
    }

    public static List<Map<String, Object>> groups(TestUser reader) {
        return reader.api().get("/api/message_groups").then().statusCode(200).extract().jsonPath().getList("");
    }
}
