package dev.hutong.identity;

/** What creating a user takes; see {@link Users#create}. Nickname may be null (defaults to the masked phone). */
public record NewUser(String phone, String password, String pin, String nickname) {
  @Override
  public String toString() {
    return "NewUser[phone=" + phone + ", nickname=" + nickname + "]";
  }
}
